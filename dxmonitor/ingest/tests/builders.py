"""Notices written as DOCX and PDF inside the tests, from text (a TTF with Vietnamese glyphs from a pip package)."""

import io
from pathlib import Path

from dxmonitor.ingest.reflow import is_table_line, reflow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_text(prefix: str) -> str:
    """The text of a sample notice by its number ("004")."""
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def make_docx(text: str, numbered: bool = False) -> bytes:
    """A DOCX with one paragraph per reflowed paragraph and a Word table per block of table rows.

    With numbered=True, "a) …" items become a Word list with automatic letters instead of typed ones.
    """
    import docx

    document = docx.Document()
    lines = reflow(text).splitlines()
    i = 0
    while i < len(lines):
        if is_table_line(lines[i]):
            block = []
            while i < len(lines) and is_table_line(lines[i]):
                block.append(lines[i].split("\t"))
                i += 1
            table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
            for r, cells in enumerate(block):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            continue
        document.add_paragraph(lines[i])
        i += 1
    if numbered:
        _number_letters(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _number_letters(document):
    """Turn typed "a) b) c)" labels into Word's automatic lower-letter numbering, for lists whose letters
    Word would print the same (Word knows no "đ", so a list that has one keeps its typed labels)."""
    import re
    import string

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    lists: list[list] = []
    for paragraph in document.paragraphs:
        found = re.match(r"^([a-zđ])\) ", paragraph.text)
        if not found:
            continue
        if found.group(1) == "a" or not lists:
            lists.append([])
        lists[-1].append((paragraph, found))
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
        )
    )
    for num_id, items in enumerate(lists, 91):
        if [found.group(1) for _, found in items] != list(string.ascii_lowercase[: len(items)]):
            continue
        numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="90"/></w:num>')
        )
        for paragraph, found in items:
            text = paragraph.text[found.end() :]
            for run in paragraph.runs[1:]:
                run._r.getparent().remove(run._r)
            paragraph.runs[0].text = text
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
            )


def make_pdf(text: str, tmp_path: Path, page_numbers: bool = True) -> bytes:
    """A PDF with a text layer: the reflowed paragraphs wrapped at the page width, numbered pages."""
    from fpdf import FPDF
    from pymupdf_fonts import NotoSans_Regular

    font = tmp_path / "NotoSans-Regular.ttf"
    font.write_bytes(NotoSans_Regular.fontbuffer)

    class Notice(FPDF):
        def footer(self):
            if page_numbers:
                self.set_y(-12)
                self.cell(0, 8, str(self.page_no()), align="C")

    pdf = Notice()
    pdf.add_font("noto", fname=str(font))
    pdf.set_font("noto", size=11)
    pdf.add_page()
    for line in reflow(text).splitlines():
        pdf.multi_cell(0, 6, line)
        pdf.ln(2)
    return bytes(pdf.output())


def make_scan_pdf() -> bytes:
    """A PDF page with a drawing and no text, like a scan that was never OCR'd."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())
