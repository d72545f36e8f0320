"""Bulk entry by the round's Excel template: real files written, filled in as a person would, read back."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dxmonitor.core import audit
from dxmonitor.indicators import excel, services
from dxmonitor.indicators.models import Observation
from dxmonitor.indicators.services import record_observation, return_observation, submit_observation
from dxmonitor.indicators.tests.factories import approved, indicator


@pytest.fixture(autouse=True)
def english():
    # Wording is checked in English, except where the Vietnamese message itself is the point.
    with translation.override("en"):
        yield


@pytest.fixture
def share(registry):
    return indicator(unit="%", name="Tỷ lệ hồ sơ trực tuyến toàn trình")


@pytest.fixture
def count(registry):
    return indicator(unit="hồ sơ", name="Số hồ sơ trực tuyến")


@pytest.fixture
def online(registry):
    return indicator(unit="%", formula="ratio", name="Tỷ lệ dịch vụ công có phát sinh hồ sơ")


@pytest.fixture
def plan(registry):
    return indicator(unit="", formula="share_of_agencies", name="Ban hành kế hoạch chuyển đổi số")


@pytest.fixture
def round_(secretariat, hanoi, hcmc, share, count, online, plan):
    return services.open_round(
        secretariat,
        title="Báo cáo năm 2023",
        period="2023",
        due_date=datetime.date(2024, 1, 15),
        indicators=[share, count, online, plan],
        agencies=[hanoi, hcmc],
    )


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))[excel.SHEET]


def rows_by_code(sheet) -> dict[str, int]:
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == excel.COLUMNS[0][1])
    return {sheet.cell(r, 1).value: r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 1).value}


def filled(data: bytes, entries: dict) -> bytes:
    """The template with cells typed in, {indicator code: {column key: what the person typed}}."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[excel.SHEET]
    rows = rows_by_code(sheet)
    for code, cells in entries.items():
        for key, typed in cells.items():
            sheet[f"{excel.LETTERS[key]}{rows[code]}"] = typed
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "bao-cao-2023.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def by_code(result) -> dict:
    return {row.code: row for row in result.rows}


def stored(indicator, agency):
    return Observation.objects.filter(indicator=indicator, agency=agency, period="2023").first()


# The template


def test_the_template_lists_the_rounds_indicators_with_what_to_enter(round_, hanoi, share, online, plan):
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template(round_, hanoi)))
    assert workbook.sheetnames == [excel.SHEET, excel.META_SHEET]
    assert workbook[excel.META_SHEET].sheet_state == "veryHidden"
    assert workbook.security.lockStructure
    sheet = workbook[excel.SHEET]
    title = [str(cell.value) for row in sheet.iter_rows(max_row=8) for cell in row if cell.value]
    assert "Báo cáo năm 2023" in title and "15/01/2024" in title
    assert f"{hanoi.name} (P01)" in title and "2023 (01/01/2023 – 31/12/2023)" in title
    rows = rows_by_code(sheet)
    assert list(rows) == [i.code for i in round_.indicators.all()]
    what = {code: sheet[f"{excel.LETTERS['what']}{row}"].value for code, row in rows.items()}
    assert what[share.code] == "Giá trị từ 0 đến 100 / Value from 0 to 100"
    assert what[online.code] == "Tử số và mẫu số / Numerator and denominator"
    assert what[plan.code] == "Có/Không và ngày thực hiện / Yes or no, and the date"
    assert sheet[f"{excel.LETTERS['state']}{rows[share.code]}"].value == "Chưa nhập / Not entered"


def test_only_the_rows_inputs_are_unlocked_and_checked_in_excel(round_, hanoi, share, online, plan):
    sheet = sheet_of(excel.template(round_, hanoi))
    assert sheet.protection.sheet
    rows = rows_by_code(sheet)

    def unlocked(code):
        return {key for key in excel.KEYS if not sheet[f"{excel.LETTERS[key]}{rows[code]}"].protection.locked}

    assert unlocked(share.code) == {"value", "note", "comment"}
    assert unlocked(online.code) == {"numerator", "denominator", "note", "comment"}
    assert unlocked(plan.code) == {"done", "done_on", "note", "comment"}
    assert all(sheet.column_dimensions[excel.LETTERS[key]].hidden for key in excel.HIDDEN)
    checks = {
        (dv.type, dv.formula1, dv.formula2): str(dv.sqref) for dv in sheet.data_validations.dataValidation
    }
    assert f"{excel.LETTERS['value']}{rows[share.code]}" in checks[("decimal", "0", "100")]
    assert f"{excel.LETTERS['done']}{rows[plan.code]}" in checks[("list", '"Có,Không"', None)]


def test_the_template_shows_current_values_the_state_and_why_a_value_was_returned(
    round_, reporter, approver, hanoi, share, count
):
    returned = submit_observation(reporter, record_observation(reporter, share, hanoi, "2023", value=4))
    returned = return_observation(approver, returned, "Thiếu số 0: 40% chứ không phải 4%?")
    approved(approver, count, hanoi, "2023", value=1250)
    sheet = sheet_of(excel.template(round_, hanoi))
    rows = rows_by_code(sheet)

    def cell(code, key):
        return sheet[f"{excel.LETTERS[key]}{rows[code]}"]

    assert cell(share.code, "value").value == 4
    assert cell(share.code, "state").value == "Bị trả lại / Returned"
    assert cell(share.code, "review").value == "Thiếu số 0: 40% chứ không phải 4%?"
    assert cell(share.code, "version").value == returned.version
    assert not cell(share.code, "value").protection.locked
    assert cell(count.code, "state").value == "Đã duyệt / Approved"
    assert cell(count.code, "value").value == 1250 and cell(count.code, "value").protection.locked
    assert all(cell(count.code, key).protection.locked for key in excel.KEYS)


# Importing a filled template


def test_a_filled_template_stores_every_row_as_a_draft_of_the_round_with_its_audit(
    round_, reporter, hanoi, share, count, online, plan
):
    data = filled(
        excel.template(round_, hanoi),
        {
            share.code: {"value": "40,5", "note": "Số liệu ước tính"},
            count.code: {"value": 1250},
            online.code: {"numerator": "4047", "denominator": "10.000.000"},
            plan.code: {"done_on": "05/03/2023"},  # a date alone means done
        },
    )
    result = excel.import_workbook(reporter, round_, hanoi, upload(data))
    assert {row.code: row.status for row in result.rows} == dict.fromkeys(
        [share.code, count.code, online.code, plan.code], "saved"
    )
    assert (result.saved, result.rejected, result.submitted) == (4, 0, 0)
    assert (stored(share, hanoi).value, stored(share, hanoi).note) == (40.5, "Số liệu ước tính")
    assert stored(count, hanoi).value == 1250
    assert (stored(online, hanoi).denominator, stored(online, hanoi).value) == (1e7, pytest.approx(0.04047))
    assert (stored(plan, hanoi).done, stored(plan, hanoi).done_on) == (True, datetime.date(2023, 3, 5))
    for observation in Observation.objects.all():
        assert (observation.state, observation.round, observation.entered_by) == ("draft", round_, reporter)
        (entry,) = audit.history(observation)
        assert (entry.action, entry.actor) == ("create", reporter)


def test_uploading_the_same_file_twice_changes_nothing(round_, reporter, hanoi, share, online, plan):
    data = filled(
        excel.template(round_, hanoi),
        {
            share.code: {"value": "40,5"},
            online.code: {"numerator": 1, "denominator": 4},
            plan.code: {"done_on": datetime.date(2023, 3, 5)},
        },
    )
    assert excel.import_workbook(reporter, round_, hanoi, data).saved == 3
    again = excel.import_workbook(reporter, round_, hanoi, data)
    assert (again.unchanged, again.saved) == (3, 0)
    assert {o.version for o in Observation.objects.all()} == {1}


def test_rows_left_empty_are_skipped(round_, reporter, hanoi, share, count):
    data = filled(excel.template(round_, hanoi), {share.code: {"value": 40}})
    result = excel.import_workbook(reporter, round_, hanoi, data)
    assert [row.code for row in result.rows] == [share.code]
    assert Observation.objects.count() == 1


def test_a_percentage_typed_with_its_sign_is_the_percentage(round_, reporter, hanoi, share):
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template(round_, hanoi)))
    sheet = workbook[excel.SHEET]
    cell = sheet[f"{excel.LETTERS['value']}{rows_by_code(sheet)[share.code]}"]
    # What Excel stores when a person types "40,5%" in a cell.
    cell.value, cell.number_format = 0.405, "0.0%"
    out = io.BytesIO()
    workbook.save(out)
    excel.import_workbook(reporter, round_, hanoi, out.getvalue())
    assert stored(share, hanoi).value == pytest.approx(40.5)


def test_a_value_out_of_range_is_rejected_in_vietnamese_and_the_other_rows_are_saved(
    round_, reporter, hanoi, share, count
):
    data = filled(
        excel.template(round_, hanoi), {share.code: {"value": 120}, count.code: {"value": "1.250.518"}}
    )
    with translation.override("vi"):
        result = excel.import_workbook(reporter, round_, hanoi, upload(data))
    rows = by_code(result)
    assert rows[share.code].status == "rejected"
    assert rows[share.code].messages["value"][0].startswith("Tỷ lệ không thể vượt quá 100%;")
    assert rows[share.code].cell("value") == f"{excel.LETTERS['value']}{rows[share.code].row}"
    assert stored(share, hanoi) is None
    assert rows[count.code].status == "saved" and stored(count, hanoi).value == 1250518
    assert (result.saved, result.rejected) == (1, 1)
    assert [row.status_label for row in result.rows] == ["Rejected", "Saved"]


def test_cells_that_are_not_numbers_answers_or_dates_say_so_per_field(
    round_, reporter, hanoi, share, plan, online
):
    data = filled(
        excel.template(round_, hanoi),
        {
            share.code: {"value": "bốn mươi"},
            plan.code: {"done": "có lẽ", "done_on": "32/13/2023"},
            online.code: {"numerator": 120, "denominator": 100},
        },
    )
    rows = by_code(excel.import_workbook(reporter, round_, hanoi, data))
    assert rows[share.code].messages == {
        "value": ["“bốn mươi” is not a number; write it like 40,47 or 1.250."]
    }
    assert rows[plan.code].messages == {
        "done": ["“có lẽ” is not an answer: write Có (yes) or Không (no)."],
        "done_on": ["“32/13/2023” is not a date: write it as dd/mm/yyyy, for example 05/03/2023."],
    }
    assert (
        "numerator (120) is larger than the denominator (100)" in rows[online.code].messages["numerator"][0]
    )
    assert {row.status for row in rows.values()} == {"rejected"}
    assert not Observation.objects.exists()


def test_a_jump_against_the_previous_period_needs_an_explanation(secretariat, round_, reporter, hanoi, share):
    approved(secretariat, share, hanoi, "2022", value=30)
    template = excel.template(round_, hanoi)
    result = excel.import_workbook(reporter, round_, hanoi, filled(template, {share.code: {"value": 75}}))
    assert "from 30% to 75%" in result.rows[0].messages["comment"][0]
    assert stored(share, hanoi) is None
    explained = filled(template, {share.code: {"value": 75, "comment": "Từ năm 2023 tính cả hồ sơ cấp xã."}})
    result = excel.import_workbook(reporter, round_, hanoi, explained)
    assert result.rows[0].status == "saved"
    assert (stored(share, hanoi).value, stored(share, hanoi).comment) == (
        75,
        "Từ năm 2023 tính cả hồ sơ cấp xã.",
    )


def test_a_value_changed_after_the_download_is_a_conflict_and_is_not_overwritten(
    round_, reporter, approver, hanoi, share, count, online
):
    record_observation(reporter, share, hanoi, "2023", value=40)
    template = excel.template(round_, hanoi)
    record_observation(approver, share, hanoi, "2023", value=41)  # a colleague, on the web form
    record_observation(approver, count, hanoi, "2023", value=900)  # a first value, after the download
    record_observation(approver, online, hanoi, "2023", numerator=1, denominator=2)
    data = filled(
        template,
        {
            share.code: {"value": 42},
            count.code: {"value": 1000},
            online.code: {"numerator": 1, "denominator": "2"},  # what the colleague entered too
        },
    )
    rows = by_code(excel.import_workbook(reporter, round_, hanoi, data))
    assert (rows[share.code].status, rows[count.code].status) == ("conflict", "conflict")
    message = rows[share.code].messages[NON_FIELD_ERRORS]
    assert "Someone else (hanoi.duyet) changed this value" in message[0]
    assert "Nothing was overwritten" in message[1]
    assert rows[share.code].observation.value == 41
    assert (stored(share, hanoi).value, stored(share, hanoi).version) == (41, 2)
    assert stored(count, hanoi).value == 900
    assert rows[online.code].status == "unchanged"
    assert stored(online, hanoi).version == 1


def test_a_row_left_as_downloaded_does_not_undo_a_colleagues_change(round_, reporter, approver, hanoi, share):
    record_observation(reporter, share, hanoi, "2023", value=40)
    template = excel.template(round_, hanoi)
    record_observation(approver, share, hanoi, "2023", value=41)
    result = excel.import_workbook(reporter, round_, hanoi, template)
    assert [row.status for row in result.rows] == ["unchanged"]
    assert stored(share, hanoi).value == 41


def test_an_approved_value_stays_unchanged_and_locked(round_, reporter, approver, hanoi, share):
    approved(approver, share, hanoi, "2023", value=40)
    template = excel.template(round_, hanoi)
    result = excel.import_workbook(reporter, round_, hanoi, template)
    assert [row.status for row in result.rows] == ["unchanged"]
    # Typed past the sheet's protection (another spreadsheet program ignores it).
    result = excel.import_workbook(reporter, round_, hanoi, filled(template, {share.code: {"value": 45}}))
    assert [row.status for row in result.rows] == ["locked"]
    assert "approved and locked" in result.rows[0].messages[NON_FIELD_ERRORS][0]
    assert (stored(share, hanoi).value, stored(share, hanoi).state) == (40, "approved")


def test_submit_sends_saved_rows_and_drafts_but_not_the_draft_of_a_rejected_row(
    round_, reporter, approver, hanoi, share, count, online, plan
):
    record_observation(reporter, count, hanoi, "2023", value=1000)
    record_observation(reporter, online, hanoi, "2023", numerator=1, denominator=2)
    returned = submit_observation(reporter, record_observation(reporter, plan, hanoi, "2023", done=False))
    return_observation(approver, returned, "Kế hoạch đã ban hành ngày 05/03/2023?")
    data = filled(
        excel.template(round_, hanoi),
        {share.code: {"value": "40,5"}, online.code: {"numerator": 3, "denominator": 2}},
    )
    result = excel.import_workbook(reporter, round_, hanoi, data, submit=True)
    rows = by_code(result)
    assert (rows[share.code].status, rows[count.code].status, rows[online.code].status) == (
        "saved",
        "unchanged",
        "rejected",
    )
    assert result.submitted == 2 and rows[share.code].submitted and rows[count.code].submitted
    assert stored(share, hanoi).state == stored(count, hanoi).state == "submitted"
    assert stored(share, hanoi).submitted_at is not None
    assert (stored(online, hanoi).state, stored(online, hanoi).numerator) == ("draft", 1)
    assert rows[plan.code].status == "unchanged" and stored(plan, hanoi).state == "returned"


def test_without_submit_everything_stays_a_draft(round_, reporter, hanoi, share):
    excel.import_workbook(
        reporter, round_, hanoi, filled(excel.template(round_, hanoi), {share.code: {"value": 1}})
    )
    assert stored(share, hanoi).state == "draft"


def test_an_outsider_cannot_import_for_another_agency(round_, outsider, hanoi, share):
    data = filled(excel.template(round_, hanoi), {share.code: {"value": 40}})
    with pytest.raises(PermissionDenied):
        excel.import_workbook(outsider, round_, hanoi, data)
    assert not Observation.objects.exists()

    class Unread:
        size = len(data)

        def read(self, *args):
            raise AssertionError("an outsider's file is refused before it is read")

    with pytest.raises(PermissionDenied):
        excel.import_workbook(outsider, round_, hanoi, Unread())


def test_rows_that_are_not_the_rounds_indicators_are_rejected(round_, reporter, hanoi, share):
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template(round_, hanoi)))
    sheet = workbook[excel.SHEET]
    sheet[f"{excel.LETTERS['value']}{rows_by_code(sheet)[share.code]}"] = 40
    last = sheet.max_row
    for offset, code in enumerate(["X.99", share.code, None], 1):
        sheet[f"A{last + offset}"], sheet[f"{excel.LETTERS['value']}{last + offset}"] = code, 50
    out = io.BytesIO()
    workbook.save(out)
    result = excel.import_workbook(reporter, round_, hanoi, out.getvalue())
    assert [(row.code, row.status) for row in result.rows] == [
        (share.code, "saved"),
        ("X.99", "rejected"),
        (share.code, "rejected"),
        ("", "rejected"),
    ]
    assert [row.messages["code"][0] for row in result.rows[1:]] == [
        "This indicator is not reported in the round “Báo cáo năm 2023”.",
        f"The indicator {share.code} appears more than once in the file; keep one row for it.",
        "This row has no indicator code: enter values only in the rows of the template.",
    ]
    assert stored(share, hanoi).value == 40


# Files that are not this round's template


def test_a_template_of_another_agency_is_refused_naming_both(round_, reporter, hanoi, hcmc, share):
    data = filled(excel.template(round_, hcmc), {share.code: {"value": 40}})
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, upload(data))
    assert caught.value.code == "other_agency"
    assert f"template of {hcmc.name}, but the values are being entered for {hanoi.name}" in str(caught.value)
    pair = caught.value.both()
    assert hcmc.name in pair["detail"] and hanoi.name in pair["detail"]
    assert pair["detail_en"] == str(caught.value)
    assert not Observation.objects.exists()


def test_a_template_of_another_round_is_refused_naming_both(secretariat, round_, reporter, hanoi, share):
    earlier = services.open_round(
        secretariat,
        title="Báo cáo 6 tháng đầu năm 2023",
        period="2023-H1",
        due_date=datetime.date(2023, 7, 15),
        indicators=[share],
        agencies=[hanoi],
    )
    data = filled(excel.template(earlier, hanoi), {share.code: {"value": 40}})
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, data)
    assert caught.value.code == "other_round"
    assert str(caught.value).startswith(
        "This file is the template of the round “Báo cáo 6 tháng đầu năm 2023” (2023-H1), "
        "not of “Báo cáo năm 2023” (2023)."
    )
    assert not Observation.objects.exists()


def test_an_agency_outside_the_round_is_refused(secretariat, reporter, hanoi, hcmc, share):
    other = services.open_round(
        secretariat,
        title="Báo cáo quý I/2023",
        period="2023-Q1",
        due_date=datetime.date(2023, 4, 15),
        indicators=[share],
        agencies=[hcmc],
    )
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, other, hanoi, excel.template(other, hanoi))
    assert caught.value.code == "not_in_round"
    assert caught.value.both() == {
        "detail": f"{hanoi.name} không thuộc các cơ quan báo cáo trong “Báo cáo quý I/2023”.",
        "detail_en": f"{hanoi.name} is not among the agencies that report in “Báo cáo quý I/2023”.",
    }


def _zip(names: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in names.items():
            archive.writestr(name, text)
    return out.getvalue()


def _workbook(**sheets) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "code", "english"),
    [
        (b"", "empty", "The file is empty."),
        ("Mã chỉ tiêu;Giá trị\nT.1;40,5\n".encode(), "text", "The file is text (for example CSV)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not_xlsx", "The file is not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "encrypted", "protected by a password"),
        (_zip({"word/document.xml": "<w:document/>"}), "zip", "ZIP archive or another kind of document"),
        (b"PK\x03\x04" + bytes(100), "damaged", "The Excel file is damaged"),
        (_zip({"xl/workbook.xml": "<not-closed"}), "damaged", "The Excel file is damaged"),
        (_workbook(Data=[["a", "b"]]), "not_template", "This workbook is not a dxmonitor template."),
    ],
    ids=["empty", "csv", "png", "encrypted", "docx", "truncated", "broken-xml", "other-workbook"],
)
def test_a_file_that_is_not_the_template_is_refused_in_both_languages(
    round_, reporter, hanoi, content, code, english
):
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, upload(content, "bao-cao.xlsx"))
    assert caught.value.code == code
    pair = caught.value.both()
    assert english in pair["detail_en"] and pair["detail"] and pair["detail"] != pair["detail_en"]
    assert not Observation.objects.exists()


def test_a_template_whose_columns_were_moved_is_refused(round_, reporter, hanoi, share):
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template(round_, hanoi)))
    sheet = workbook[excel.SHEET]
    sheet.delete_cols(5)  # what a person with an unprotected copy might do
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, out.getvalue())
    assert caught.value.code == "columns"
    assert "without adding, removing or moving columns" in str(caught.value)


def test_an_oversized_file_is_refused_before_it_is_read(round_, reporter, hanoi, settings):
    settings.MAX_UPLOAD_BYTES = 2 * 2**20

    class Huge:
        name, size = "bao-cao.xlsx", 30 * 2**20

        def read(self, *args):
            raise AssertionError("read before its size was checked")

    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, Huge())
    assert caught.value.code == "too_large"
    assert caught.value.both()["detail_en"].startswith(
        "The file is 30.0 MB; the largest file accepted is 2 MB."
    )
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, bytes(3 * 2**20))
    assert caught.value.code == "too_large"


def test_a_workbook_that_unpacks_too_large_is_refused(round_, reporter, hanoi, monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 1000)  # a ZIP bomb, scaled down
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, excel.template(round_, hanoi))
    assert caught.value.code == "unpacks_too_large"
    assert "more than the 0 MB a template can hold" in str(caught.value)


def test_file_errors_are_translated_into_vietnamese(round_, reporter, hanoi):
    with pytest.raises(excel.ExcelError) as caught:
        excel.import_workbook(reporter, round_, hanoi, b"a;b\n1;2\n")
    pair = caught.value.both()
    assert pair["detail"].startswith("Tệp là văn bản thuần (ví dụ CSV)")
    assert pair["detail_en"].startswith("The file is text (for example CSV)")
