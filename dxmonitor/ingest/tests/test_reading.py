import io
import os
import unicodedata

import pytest

from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.reading import ReadError, read_document, read_path
from dxmonitor.ingest.tests.builders import make_docx, make_pdf, make_scan_pdf, sample_text

NOTICE = "THÔNG BÁO\nKết luận của Thủ tướng Chính phủ\n"


def test_it_reads_utf8_without_bom():
    assert read_document(NOTICE.encode("utf-8"), "a.txt") == NOTICE


def test_it_drops_a_utf8_bom():
    assert read_document(b"\xef\xbb\xbf" + NOTICE.encode("utf-8"), "a.txt") == NOTICE


def test_it_reads_utf16_with_bom_in_either_byte_order():
    assert read_document(NOTICE.encode("utf-16"), "a.txt") == NOTICE
    assert read_document(b"\xfe\xff" + NOTICE.encode("utf-16-be"), "a.txt") == NOTICE


def test_it_normalises_decomposed_vietnamese_to_nfc():
    decomposed = unicodedata.normalize("NFD", NOTICE)
    assert decomposed != NOTICE
    assert read_document(decomposed.encode("utf-8"), "a.txt") == NOTICE


def test_it_turns_windows_line_ends_into_newlines():
    assert read_document(NOTICE.replace("\n", "\r\n").encode("utf-8"), "a.txt") == NOTICE


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\ufeff".encode()])
def test_it_refuses_an_empty_file(data):
    with pytest.raises(ReadError) as error:
        read_document(data, "a.txt")
    assert error.value.code == "empty"
    assert error.value.message_vi and error.value.message_en


def test_it_refuses_random_bytes_as_binary():
    with pytest.raises(ReadError) as error:
        read_document(os.urandom(4096), "notice.txt")
    assert error.value.code == "binary"


def test_it_refuses_a_png_renamed_to_txt():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    with pytest.raises(ReadError) as error:
        read_document(png, "notice.txt")
    assert error.value.code == "binary"
    assert "nhị phân" in error.value.message_vi


def test_it_refuses_text_in_a_legacy_encoding_with_a_clear_message():
    with pytest.raises(ReadError) as error:
        read_document("Thông báo kết luận".encode("cp1258", errors="ignore") + b"\xd2\xea", "a.txt")
    assert error.value.code == "encoding"
    assert "UTF-8" in error.value.message_en


@pytest.mark.parametrize("name", ["table.xlsx", "notice.odt", "old.doc", "page.html"])
def test_it_refuses_unsupported_types(name):
    data = b"\xd0\xcf\x11\xe0" + bytes(100) if name.endswith(".doc") else b"PK\x03\x04" + bytes(100)
    if name.endswith(".html"):
        data = b"<html>Th\xc3\xb4ng b\xc3\xa1o</html>"
    with pytest.raises(ReadError) as error:
        read_document(data, name)
    assert error.value.code in ("unsupported", "corrupt")


def test_it_refuses_a_file_over_the_size_limit(tmp_path):
    with pytest.raises(ReadError) as error:
        read_document(b"x" * 101, "a.txt", max_bytes=100)
    assert error.value.code == "too_large"
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(ReadError):
        read_path(path, max_bytes=1000)


def test_it_refuses_a_damaged_pdf(tmp_path):
    cut = make_pdf(NOTICE, tmp_path)[:1500]
    with pytest.raises(ReadError) as error:
        read_document(cut, "a.pdf")
    assert error.value.code == "corrupt"


def test_a_pdf_with_nothing_to_draw_letters_with_has_no_text_layer():
    with pytest.raises(ReadError) as error:
        read_document(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.pdf")
    assert error.value.code == "no_text_layer"


def test_it_refuses_a_pdf_without_a_text_layer():
    with pytest.raises(ReadError) as error:
        read_document(make_scan_pdf(), "scan.pdf")
    assert error.value.code == "no_text_layer"
    assert error.value.message_en == "no text layer; scan must be OCR'd first"


def test_it_reads_docx_paragraphs_and_tables_in_document_order():
    import docx

    document = docx.Document()
    document.add_paragraph("THÔNG BÁO")
    table = document.add_table(rows=3, cols=3)
    for c, text in enumerate(["TT", "Nhiệm vụ", "Cơ quan chủ trì"]):
        table.cell(0, c).text = text
    merged = table.cell(1, 0).merge(table.cell(1, 2))
    merged.text = "I Nhóm nhiệm vụ"
    for c, text in enumerate(["1", "Xây dựng\ncơ sở dữ liệu", "Bộ Y tế"]):
        table.cell(2, c).text = text
    document.add_paragraph("Nơi nhận:")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = read_document(buffer.getvalue(), "a.docx").splitlines()
    assert lines[0] == "THÔNG BÁO"
    assert "TT\tNhiệm vụ\tCơ quan chủ trì" in lines
    assert "I Nhóm nhiệm vụ\t\t" in lines
    assert "1\tXây dựng cơ sở dữ liệu\tBộ Y tế" in lines
    assert lines.index("Nơi nhận:") > lines.index("1\tXây dựng cơ sở dữ liệu\tBộ Y tế")


def test_it_writes_out_word_automatic_numbering():
    text = read_document(make_docx(sample_text("004"), numbered=True), "a.docx")
    assert "a) 100% xã, phường, thị trấn có kết nối Internet" in text
    assert "b) Nền tảng tích hợp chia sẻ dữ liệu quốc gia" in text


def test_it_reads_the_text_layer_of_a_pdf_with_vietnamese_diacritics(tmp_path):
    text = read_document(make_pdf(NOTICE + "Bộ Thông tin và Truyền thông chủ trì.\n", tmp_path), "a.pdf")
    assert "Kết luận của Thủ tướng Chính phủ" in text
    assert "Bộ Thông tin và Truyền thông chủ trì." in text
    assert unicodedata.is_normalized("NFC", text)


def _tasks(result):
    return [
        (
            t["clause"],
            t["text"],
            [a["code"] for a in t["lead"]],
            [a["code"] for a in t["coordinating"]],
            (t["deadline"] or {}).get("date"),
        )
        for t in result["tasks"]
    ]


@pytest.mark.parametrize("sample", ["004", "002"])
def test_a_docx_made_from_a_sample_gives_the_same_tasks_as_its_text(sample):
    text = sample_text(sample)
    from_docx = extract(read_document(make_docx(text, numbered=True), "notice.docx"))
    from_text = extract(text)
    assert _tasks(from_docx) == _tasks(from_text)
    assert from_docx["indicators"] == from_text["indicators"]


@pytest.mark.parametrize("sample", ["004", "000"])
def test_a_pdf_made_from_a_sample_gives_the_same_tasks_as_its_text(sample, tmp_path):
    text = sample_text(sample)
    from_pdf = extract(read_document(make_pdf(text, tmp_path), "notice.pdf"))
    from_text = extract(text)
    assert len(from_text["tasks"]) > 10
    assert _tasks(from_pdf) == _tasks(from_text)
    assert from_pdf["document"] == from_text["document"]
