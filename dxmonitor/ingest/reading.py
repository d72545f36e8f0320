"""File bytes → NFC text: plain text, DOCX (paragraphs, numbering, tables) and PDF with a text layer.

No Django here. Every refusal is a `ReadError` with a Vietnamese and an English message; nothing is
guessed from a file that cannot be read cleanly.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {"", ".txt", ".text", ".md", ".tsv", ".csv"}
# Characters that no text file holds: C0 controls other than tab, newline, carriage return, form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAGIC = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"\xd0\xcf\x11\xe0": "DOC",
    b"{\\rtf": "RTF",
}


class ReadError(ValueError):
    """A file that cannot be read as a notice, with the reason in Vietnamese and in English."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


def read_path(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a file from disk; see `read_document`."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise too_large(size, max_bytes)
    return read_document(path.read_bytes(), path.name, max_bytes)


def read_document(data: bytes, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the text of a notice as NFC Unicode.

    Args:
        data: the file's bytes.
        filename: its name; the suffix chooses the reader when the content does not tell.
        max_bytes: files larger than this are refused.

    Raises:
        ReadError: empty, too large, binary, not a supported type, undecodable text, or a PDF with no
            text layer.
    """
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data.strip():
        raise ReadError("empty", "Tệp rỗng, không có nội dung.", "The file is empty.")
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        return read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return read_docx(data)
        raise _unsupported(suffix or "zip")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            if suffix in TEXT_SUFFIXES:
                raise _binary(f"{kind}")
            raise _unsupported(suffix or kind)
    if suffix == ".pdf":
        raise ReadError(
            "corrupt", "Tệp PDF bị hỏng hoặc không đúng định dạng.", "The PDF file is damaged or not a PDF."
        )
    if suffix == ".docx":
        raise ReadError(
            "corrupt",
            "Tệp DOCX bị hỏng hoặc không đúng định dạng.",
            "The DOCX file is damaged or not a DOCX.",
        )
    if suffix not in TEXT_SUFFIXES:
        raise _unsupported(suffix)
    return read_text(data)


def read_text(data: bytes) -> str:
    """Decode plain text: UTF-8 with or without BOM, UTF-16 with BOM; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _encoding("UTF-32")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16")
    else:
        if b"\x00" in data:
            raise _binary("NUL")
        text = _decode(data, "utf-8")
    text = text.removeprefix("\ufeff")
    if _CONTROL.search(text) or "\ufffd" in text:
        raise _binary("control")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ReadError("empty", "Tệp rỗng, không có nội dung.", "The file is empty.")
    return text


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8" and _looks_binary(data):
            raise _binary("dữ liệu lạ / unknown bytes") from None
        raise _encoding(encoding) from None


def _looks_binary(data: bytes) -> bool:
    """Control bytes are rare in any text encoding and common in binary data."""
    sample = data[:4096]
    odd = sum(1 for b in sample if b < 9 or 13 < b < 27 or 27 < b < 32 or b == 127)
    return odd > len(sample) * 0.02


# --- DOCX ---------------------------------------------------------------------------------------------


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(data: bytes) -> str:
    """Paragraphs (with their automatic numbering) and tables (tab-separated rows), in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from dxmonitor.ingest.numbering import Numbering

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several types for a damaged package
        raise ReadError(
            "corrupt", "Tệp DOCX bị hỏng, không đọc được.", f"The DOCX file is damaged: {error}"
        ) from None
    numbering = Numbering.of(document)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            label = numbering.label(paragraph)
            if label and text:
                text = f"{label} {text}"
            lines.append(text)
        elif tag == "tbl":
            lines.append("")
            lines += _table_rows(Table(child, document))
            lines.append("")
    text = "\n".join(lines)
    return unicodedata.normalize("NFC", text.strip()) + "\n"


def _table_rows(table) -> list[str]:
    """Each row as tab-separated cells, one per grid column: a cell merged across columns keeps its text
    in the first and leaves the others empty; a cell merged down repeats the text above it."""
    rows, above = [], {}
    for row in table.rows:
        cells = []
        for tc in row._tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = " ".join(" ".join(_xml_text(p) for p in tc.iter(f"{_W}p")).split())
            above[column] = text
            cells += [text] + [""] * (max(1, tc.grid_span) - 1)
        rows.append("\t".join(cells))
    return rows


def _xml_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter(f"{_W}t", f"{_W}br", f"{_W}cr", f"{_W}tab"):
        parts.append(node.text or "" if node.tag == f"{_W}t" else " ")
    return "".join(parts)


# --- PDF ----------------------------------------------------------------------------------------------


def read_pdf(data: bytes) -> str:
    """The text layer of a PDF, page by page; a scan without one is refused."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(
                "encrypted", "Tệp PDF có mật khẩu, không đọc được.", "The PDF is password-protected."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        if b"/Font" not in data:
            # Nothing that could draw a letter: whatever else is wrong with it, there is no text to read.
            raise _no_text_layer() from None
        raise ReadError(
            "corrupt", "Tệp PDF bị hỏng, không đọc được.", f"The PDF file is damaged: {error}"
        ) from None
    text = unicodedata.normalize("NFC", "\n\n".join(pages))
    letters = sum(ch.isalpha() for ch in text)
    if letters < 20 * max(1, len(pages)) // 4:
        raise _no_text_layer()
    return text


# --- Errors -------------------------------------------------------------------------------------------


def too_large(size: int, limit: int) -> ReadError:
    return ReadError(
        "too_large",
        f"Tệp quá lớn ({size:,} byte); giới hạn là {limit:,} byte.",
        f"The file is too large ({size:,} bytes); the limit is {limit:,} bytes.",
    )


def _no_text_layer() -> ReadError:
    return ReadError(
        "no_text_layer",
        "Tệp PDF không có lớp văn bản (bản quét); cần nhận dạng ký tự (OCR) trước.",
        "no text layer; scan must be OCR'd first",
    )


def _binary(what: str) -> ReadError:
    return ReadError(
        "binary",
        f"Tệp không phải văn bản mà là dữ liệu nhị phân hoặc hình ảnh ({what}).",
        f"The file is not text but binary data or an image ({what}).",
    )


def _encoding(encoding: str) -> ReadError:
    return ReadError(
        "encoding",
        f"Không đọc được bảng mã của tệp ({encoding}); hãy lưu lại dưới dạng UTF-8.",
        f"The text is not valid {encoding}; save it as UTF-8 (with or without BOM) or UTF-16 with BOM.",
    )


def _unsupported(kind: str) -> ReadError:
    return ReadError(
        "unsupported",
        f"Định dạng tệp không được hỗ trợ ({kind}); chỉ nhận TXT, DOCX hoặc PDF có lớp văn bản.",
        f"Unsupported file type ({kind}); send TXT, DOCX or a PDF with a text layer.",
    )
