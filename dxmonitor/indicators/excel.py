"""Bulk entry of a reporting round by an Excel template: an agency downloads one workbook with all its
indicators for the round, fills it in and uploads it back; every row goes through `record_observation`.

The workbook's own labels are fixed Vietnamese with English beside, whatever the site's language (the
file travels between people); messages about an upload are translatable like every other message.
Sheet protection has no password: it guides the hand, it is no security; the import checks everything.
"""

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from dxmonitor.accounts import policy
from dxmonitor.agencies.matching import normalize
from dxmonitor.agencies.models import Agency
from dxmonitor.core.i18n import both, number
from dxmonitor.core.vndates import parse_date
from dxmonitor.indicators import services, validation
from dxmonitor.indicators.messages import render_problems
from dxmonitor.indicators.models import Indicator, Observation, ReportingRound

SHEET = "Báo cáo"
META_SHEET = "dxmonitor"
FORMAT = "dxmonitor-round-template/1"
# A round has tens of indicators; a sheet padded to a million rows is not read to its end.
MAX_ROWS = 5000
# An .xlsx is a ZIP: a small upload may unpack to gigabytes (a ZIP bomb); the template unpacks to kilobytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_HEADER_SEARCH = 40

State = Observation.State
COLUMNS = (
    ("code", "Mã chỉ tiêu\nCode", 20),
    ("name", "Tên chỉ tiêu\nIndicator", 50),
    ("unit", "Đơn vị\nUnit", 10),
    ("what", "Cần nhập\nWhat to enter", 30),
    ("previous", "Kỳ trước\nPrevious period", 12),
    ("state", "Trạng thái\nState", 18),
    ("review", "Ý kiến người duyệt\nApprover's comment", 28),
    ("value", "Giá trị\nValue", 12),
    ("numerator", "Tử số\nNumerator", 12),
    ("denominator", "Mẫu số\nDenominator", 12),
    ("done", "Đã thực hiện (Có/Không)\nDone (yes/no)", 14),
    ("done_on", "Ngày thực hiện (dd/mm/yyyy)\nDate done", 16),
    ("note", "Ghi chú nguồn số liệu\nNote on the source", 28),
    ("comment", "Giải trình\nExplanation", 36),
    ("version", "Phiên bản\nVersion", 8),
    ("fingerprint", "Dấu kiểm\nCheck", 8),
)
KEYS = [key for key, _header, _width in COLUMNS]
LETTERS = {key: get_column_letter(i) for i, key in enumerate(KEYS, 1)}
HIDDEN = ("version", "fingerprint")
INPUTS = ("value", "numerator", "denominator", "done", "done_on", "note", "comment")
ENTERED = {
    validation.VALUE: ("value",),
    validation.RATIO: ("numerator", "denominator"),
    validation.DONE: ("done", "done_on"),
}
STATE_LABELS = {
    None: "Chưa nhập / Not entered",
    State.DRAFT: "Nháp / Draft",
    State.SUBMITTED: "Đã gửi, chờ duyệt / Submitted",
    State.APPROVED: "Đã duyệt / Approved",
    State.RETURNED: "Bị trả lại / Returned",
}
YES, NO = "Có", "Không"
_YES = {"co", "x", "yes", "y", "1", "true", "da", "da thuc hien"}
_NO = {"khong", "no", "n", "0", "false", "chua", "chua thuc hien"}
_INSTRUCTIONS = (
    (
        "Chỉ nhập vào các ô màu vàng; các ô khác bị khoá.",
        "Enter values only in the yellow cells; the other cells are locked.",
    ),
    (
        "Số thập phân viết 40,47 hoặc 40.47; chỉ tiêu tỷ lệ % nhập phần trăm (0–100), không nhập số đếm.",
        "Write decimals as 40,47 or 40.47; for a share (%) enter the percentage (0–100), not a count.",
    ),
    (
        "Chỉ tiêu tính theo tỷ lệ: nhập tử số và mẫu số, hệ thống tự tính giá trị.",
        "Ratio indicators: enter the numerator and the denominator; the value is computed.",
    ),
    (
        "Chỉ tiêu “đã thực hiện”: chọn Có hoặc Không, và ngày thực hiện (dd/mm/yyyy).",
        "“Done” indicators: choose Có (yes) or Không (no), and the date it was done (dd/mm/yyyy).",
    ),
    (
        "Giá trị thay đổi nhiều so với kỳ trước cần ghi giải trình.",
        "A value that changed much since the previous period needs an explanation.",
    ),
    (
        "Dòng đã gửi hoặc đã duyệt không sửa được. Không thêm, xoá hay di chuyển dòng, cột; tải lên chính tệp này.",
        "Rows submitted or approved cannot be changed. Do not add, delete or move rows or columns; upload this file.",
    ),
)
_INPUT_FILL = PatternFill("solid", start_color="FFF2CC")
_LOCKED_FILL = PatternFill("solid", start_color="EDEDED")
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


STATUS_LABELS = {
    "saved": gettext_lazy("Saved"),
    "unchanged": gettext_lazy("Unchanged"),
    "rejected": gettext_lazy("Rejected"),
    "conflict": gettext_lazy("Conflict"),
    "locked": gettext_lazy("Locked"),
}
# Why an upload is refused, by code; each message says what to do instead.
_REFUSALS = {
    "empty": gettext_lazy("The file is empty. Upload the Excel template (.xlsx) with the values filled in."),
    "too_large": gettext_lazy(
        "The file is %(size).1f MB; the largest file accepted is %(limit)d MB. Upload the template as it was "
        "downloaded, without pictures or extra sheets."
    ),
    "unpacks_too_large": gettext_lazy(
        "The workbook unpacks to %(size).1f MB, more than the %(limit)d MB a template can hold. Upload the "
        "template as it was downloaded, without pictures or extra sheets."
    ),
    "encrypted": gettext_lazy(
        "The file is protected by a password, or it is an old Excel 97–2003 file (.xls). Open it in Excel, "
        "remove the password, save it as an Excel Workbook (.xlsx) and upload it again."
    ),
    "text": gettext_lazy(
        "The file is text (for example CSV), not an Excel workbook, even if its name ends in .xlsx. Enter the "
        "values in the downloaded template and upload that file."
    ),
    "not_xlsx": gettext_lazy(
        "The file is not an Excel workbook (.xlsx). Upload the template you downloaded, with the values "
        "filled in."
    ),
    "zip": gettext_lazy(
        "The file is a ZIP archive or another kind of document, not an Excel workbook (.xlsx). Upload the "
        "template you downloaded, with the values filled in."
    ),
    "damaged": gettext_lazy(
        "The Excel file is damaged and cannot be read. Save it again in Excel (File → Save As → Excel "
        "Workbook) and upload it again, or download a new template."
    ),
    "not_template": gettext_lazy(
        "This workbook is not a dxmonitor template. Download the template of the round “%(round)s” for "
        "%(agency)s and enter the values in it."
    ),
    "no_header": gettext_lazy(
        "The header row of the template is missing. Download a new template and enter the values without "
        "adding, removing or moving rows or columns."
    ),
    "columns": gettext_lazy(
        "The columns of the template were changed (row %(row)d). Download a new template and enter the "
        "values without adding, removing or moving columns."
    ),
    "other_round": gettext_lazy(
        "This file is the template of the round “%(other)s” (%(other_period)s), not of “%(round)s” "
        "(%(period)s). Download the template of “%(round)s” and enter the values in it."
    ),
    "other_agency": gettext_lazy(
        "This file is the template of %(other)s, but the values are being entered for %(agency)s; an agency "
        "reports only its own values. Download the template of %(agency)s and enter the values in it."
    ),
    "not_in_round": gettext_lazy("%(agency)s is not among the agencies that report in “%(title)s”."),
}


class ExcelError(Exception):
    """The file cannot be read as this round's template; nothing was stored.

    `code` says which refusal it is (a key of _REFUSALS); str() is the message in the active language,
    `both()` in Vietnamese and English for the API.
    """

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self):
        return str(_REFUSALS[self.code]) % self.params

    def both(self) -> dict[str, str]:
        return both(self)


@dataclass
class RowResult:
    """What became of one row of the upload."""

    row: int
    code: str
    name: str
    status: str  # saved, unchanged, rejected, conflict or locked
    messages: dict[str, list[str]] = field(default_factory=dict)
    observation: Observation | None = None
    submitted: bool = False

    @property
    def status_label(self) -> str:
        """The status in the active language, for pages."""
        return str(STATUS_LABELS[self.status])

    def cell(self, name: str) -> str | None:
        """The cell of a field in the uploaded sheet, e.g. "H12" for "value"; None for a whole-row message."""
        return f"{LETTERS[name]}{self.row}" if name in LETTERS else None


@dataclass
class ImportResult:
    """What became of an upload: one result per row with entries, and how many values were submitted."""

    rows: list[RowResult] = field(default_factory=list)
    submitted: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    saved = property(lambda self: self.count("saved"))
    unchanged = property(lambda self: self.count("unchanged"))
    rejected = property(lambda self: self.count("rejected"))

    @property
    def problems(self) -> list[RowResult]:
        """The rows that need the person's attention."""
        return [row for row in self.rows if row.status in ("rejected", "conflict", "locked")]


# The template


@dataclass
class _Line:
    indicator: Indicator
    rules: validation.Rules
    computed: bool
    observation: Observation | None
    previous: float | None

    @property
    def editable(self) -> bool:
        return services.can_edit(self.computed, self.observation)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (*ENTERED[self.rules.kind], "note", "comment") if self.editable else ()


def _lines(round: ReportingRound, agency) -> list[_Line]:
    period = services.as_period(round.period)
    indicators = list(round.indicators.prefetch_related("definitions"))
    current = {
        o.indicator_id: o
        for o in Observation.objects.filter(
            indicator__in=indicators, agency=agency, period=period.code, source=Observation.Source.REPORTED
        )
    }
    previous = services.previous_values(indicators, agency, period)
    lines = []
    for indicator in indicators:
        rules, computed = services.entry_setup(indicator, agency, period)
        lines.append(_Line(indicator, rules, computed, current.get(indicator.pk), previous.get(indicator.pk)))
    return lines


def template(round: ReportingRound, agency: Agency) -> bytes:
    """An .xlsx for one agency and round: one row per indicator of the round, pre-filled with the
    agency's current values. The caller checks that the person may see the agency's values.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    header = _title_block(sheet, round, agency)
    for i, (_key, text, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(header, i, text)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.row_dimensions[header].height = 45
    checks = _Checks(sheet)
    for n, line in enumerate(_lines(round, agency), header + 1):
        _write_line(sheet, n, line, checks)
    for key in HIDDEN:
        sheet.column_dimensions[LETTERS[key]].hidden = True
    sheet.freeze_panes = f"C{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Widths and heights may change; cells, rows and columns may not.
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    sheet.protection.enable()
    _meta_sheet(workbook, round, agency)
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.properties.title = f"{round.title} — {agency.name}"
    workbook.properties.creator = "dxmonitor"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _title_block(sheet, round: ReportingRound, agency) -> int:
    """The title, the round and the instructions; returns the header row."""
    period = services.as_period(round.period)
    sheet["A1"] = "BÁO CÁO CHỈ TIÊU CHUYỂN ĐỔI SỐ — Digital transformation indicators report"
    sheet["A1"].font = Font(bold=True, size=14)
    facts = (
        ("Kỳ báo cáo / Round", round.title),
        ("Kỳ số liệu / Period", f"{period.code} ({_date(period.start)} – {_date(period.end)})"),
        ("Cơ quan / Agency", f"{agency.name} ({agency.code})"),
        ("Hạn nộp / Due date", _date(round.due_date)),
        ("Tải về lúc / Downloaded", f"{timezone.localtime():%d/%m/%Y %H:%M}"),
    )
    row = 2
    for label, value in facts:
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, value)
        row += 1
    sheet.cell(row, 1, "Hướng dẫn / Instructions").font = Font(bold=True)
    for vi, en in _INSTRUCTIONS:
        sheet.cell(row, 2, f"• {vi}")
        sheet.cell(row, 8, en).font = Font(italic=True, color="595959")
        row += 1
    return row + 1


def _date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _vi(value: float) -> str:
    return number(value, "vi")


def _en(value: float) -> str:
    return number(value, "en")


def _what(line: _Line) -> str:
    if line.computed:
        return "Tính tự động, không nhập / Computed, not entered"
    kind = line.rules.kind
    if kind == validation.RATIO:
        return "Tử số và mẫu số / Numerator and denominator"
    if kind == validation.DONE:
        return "Có/Không và ngày thực hiện / Yes or no, and the date"
    low, high = line.rules.bounds
    if low is not None and high is not None:
        return f"Giá trị từ {_vi(low)} đến {_vi(high)} / Value from {_en(low)} to {_en(high)}"
    if low is not None:
        return f"Giá trị, từ {_vi(low)} trở lên / Value, {_en(low)} or more"
    return "Giá trị / Value"


class _Checks:
    """The sheet's data validations, one per kind of check, each covering the cells it applies to."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.made: dict[tuple, DataValidation] = {}

    def add(self, key: tuple, coordinate: str):
        if key not in self.made:
            self.made[key] = self._make(*key)
            self.sheet.add_data_validation(self.made[key])
        self.made[key].add(coordinate)

    @staticmethod
    def _make(kind, low=None, high=None) -> DataValidation:
        common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": "Không hợp lệ / Invalid"}
        if kind == "done":
            return DataValidation(
                type="list",
                formula1=f'"{YES},{NO}"',
                error="Chọn Có hoặc Không. / Choose Có (yes) or Không (no).",
                **common,
            )
        if kind == "date":
            return DataValidation(
                type="date",
                operator="lessThanOrEqual",
                formula1="TODAY()",
                error="Nhập ngày dd/mm/yyyy, không sau hôm nay. / Enter a date (dd/mm/yyyy), today at the latest.",
                **common,
            )
        if high is None:
            return DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1=f"{low:g}",
                error=f"Nhập một số từ {_vi(low)} trở lên. / Enter a number of {_en(low)} or more.",
                **common,
            )
        return DataValidation(
            type="decimal",
            operator="between",
            formula1=f"{low:g}",
            formula2=f"{high:g}",
            error=f"Nhập một số từ {_vi(low)} đến {_vi(high)}. / Enter a number from {_en(low)} to {_en(high)}.",
            **common,
        )


def _write_line(sheet, n: int, line: _Line, checks: _Checks):
    observation, rules = line.observation, line.rules
    stored = _stored(observation, rules)
    values = {
        "code": line.indicator.code,
        "name": line.indicator.name,
        "unit": line.indicator.unit,
        "what": _what(line),
        "previous": line.previous,
        "state": STATE_LABELS[observation.state if observation else None],
        "review": observation.review_comment if observation and observation.state == State.RETURNED else "",
        "value": observation.value if observation else None,
        "numerator": stored.get("numerator"),
        "denominator": stored.get("denominator"),
        "done": {True: YES, False: NO}.get(stored.get("done")),
        "done_on": stored.get("done_on"),
        "note": observation.note if observation else "",
        "comment": observation.comment if observation else "",
        "version": observation.version if observation else 0,
        "fingerprint": _fingerprint(stored),
    }
    inputs = line.inputs
    for i, key in enumerate(KEYS, 1):
        cell = sheet.cell(n, i, values[key] if values[key] != "" else None)
        cell.border, cell.alignment = _BORDER, _WRAP
        if key == "done_on":
            cell.number_format = "DD/MM/YYYY"
        if key in inputs:
            cell.protection = Protection(locked=False)
            cell.fill = _INPUT_FILL
        elif key in INPUTS:
            cell.fill = _LOCKED_FILL
    if "value" in inputs:
        checks.add(("number", *rules.bounds), f"{LETTERS['value']}{n}")
    for key in ("numerator", "denominator"):
        if key in inputs:
            checks.add(("number", 0.0, None), f"{LETTERS[key]}{n}")
    if "done" in inputs:
        checks.add(("done",), f"{LETTERS['done']}{n}")
        checks.add(("date",), f"{LETTERS['done_on']}{n}")


def _meta_sheet(workbook, round: ReportingRound, agency):
    meta = workbook.create_sheet(META_SHEET)
    for row in (
        ("format", FORMAT),
        ("round", round.pk),
        ("round_title", round.title),
        ("period", round.period),
        ("agency", agency.code),
        ("agency_name", agency.name),
        ("generated_at", timezone.now().isoformat()),
    ):
        meta.append(row)
    meta.sheet_state = "veryHidden"
    meta.protection.enable()


# What a row holds, for comparing the upload with what is stored and with what was downloaded.


def _stored(observation: Observation | None, rules: validation.Rules) -> dict:
    if observation is None:
        return {}
    fields = {name: getattr(observation, name) for name in ENTERED[rules.kind]}
    return {**fields, "note": observation.note, "comment": observation.comment}


def _canonical(fields: dict):
    def one(value):
        if isinstance(value, float):
            return f"{value:.12g}"
        if isinstance(value, dt.date):
            return value.isoformat()
        return value if value != "" else None

    return sorted((key, one(value)) for key, value in fields.items() if one(value) is not None)


def _fingerprint(fields: dict) -> str:
    """A short digest of a row's entries as downloaded: an upload with the same entries left it alone."""
    text = json.dumps(_canonical(fields), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _same(entered: dict, stored: dict) -> bool:
    return _canonical(entered) == _canonical(stored)


# Reading an upload


def _read(upload) -> bytes:
    """The upload's bytes, refused before reading when it is larger than the limit."""
    limit = settings.MAX_UPLOAD_BYTES
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise ExcelError("too_large", size=size / 2**20, limit=limit // 2**20)
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise ExcelError("too_large", size=len(data) / 2**20, limit=limit // 2**20)
    if not data:
        raise ExcelError("empty")
    return data


def _open(data: bytes):
    """The workbook, or an ExcelError saying in plain words what the file is instead."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE container: a password-protected workbook, or an old .xls.
        raise ExcelError("encrypted")
    if not data.startswith(b"PK"):
        if not _CONTROL.search(data[:4096]):
            raise ExcelError("text")
        raise ExcelError("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExcelError("damaged") from None
    if not any(info.filename.startswith("xl/") for info in infos):
        raise ExcelError("zip")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExcelError("unpacks_too_large", size=unpacked / 2**20, limit=MAX_UNPACKED_BYTES // 2**20)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises a dozen types for a damaged package
        raise ExcelError("damaged") from None


@dataclass
class _Upload:
    row: int
    code: str
    cells: dict  # key → openpyxl cell (value, number_format)
    version: int
    fingerprint: str

    def empty(self) -> bool:
        return all(_blank(self.cells[key].value) for key in INPUTS)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(data: bytes, round: ReportingRound, agency) -> list[_Upload]:
    """The rows of an upload after its file, its round and its agency are checked."""
    workbook = _open(data)
    try:
        if META_SHEET not in workbook.sheetnames or SHEET not in workbook.sheetnames:
            raise ExcelError("not_template", round=round.title, agency=agency.name)
        meta = {
            str(row[0]): row[1]
            for row in workbook[META_SHEET].iter_rows(max_row=50, max_col=2, values_only=True)
            if row and row[0] is not None
        }
        if meta.get("format") != FORMAT:
            raise ExcelError("not_template", round=round.title, agency=agency.name)
        _check_identity(meta, round, agency)
        rows = list(workbook[SHEET].iter_rows(max_row=MAX_ROWS, max_col=len(KEYS)))
    except ExcelError:
        raise
    except Exception:
        raise ExcelError("damaged") from None
    finally:
        workbook.close()
    return _rows(rows)


def _check_identity(meta: dict, round: ReportingRound, agency):
    if str(meta.get("round")) != str(round.pk) or meta.get("period") != round.period:
        raise ExcelError(
            "other_round",
            other=meta.get("round_title") or "?",
            other_period=meta.get("period") or "?",
            round=round.title,
            period=round.period,
        )
    if meta.get("agency") != agency.code:
        other = Agency.objects.filter(code=str(meta.get("agency"))).first()
        raise ExcelError(
            "other_agency",
            other=other.name if other else meta.get("agency_name") or meta.get("agency"),
            agency=agency.name,
        )


def _rows(rows) -> list[_Upload]:
    headers = [_words(text) for _key, text, _width in COLUMNS]
    for i, row in enumerate(rows[:_HEADER_SEARCH]):
        if row and _words(row[0].value) == headers[0]:
            header = i
            break
    else:
        raise ExcelError("no_header")
    if [_words(cell.value) for cell in _padded(rows[header])] != headers:
        raise ExcelError("columns", row=header + 1)
    uploads = []
    for i, row in enumerate(rows[header + 1 :], header + 2):
        cells = dict(zip(KEYS, _padded(row), strict=True))
        uploads.append(
            _Upload(
                row=i,
                code=_text(cells["code"].value),
                cells=cells,
                version=_version(cells["version"].value),
                fingerprint=_text(cells["fingerprint"].value),
            )
        )
    return uploads


def _version(value) -> int:
    # A version that is not a whole number is taken as "no value when downloaded": a conflict at worst,
    # never an overwrite.
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return 0


def _padded(row) -> tuple:
    return (tuple(row) + (EMPTY_CELL,) * len(KEYS))[: len(KEYS)]


def _words(value) -> str:
    return " ".join(_text(value).split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Cells as entries


def _number(cell, problems: list, key: str) -> float | None:
    try:
        number = validation.parse_number(cell.value)
    except ValueError:
        problems.append(validation.Problem(key, "not_a_number", {"text": _text(cell.value)}))
        return None
    # "40%" typed in Excel is stored as 0.4 in a percent-formatted cell; the person meant 40.
    if (
        number is not None
        and isinstance(cell.value, int | float)
        and "%" in (getattr(cell, "number_format", "") or "")
    ):
        number *= 100
    return number


def _done(value) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = normalize(_text(value))
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(value)


def _day(value) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel(value).date()
    day = parse_date(str(value))
    if day is None:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(value) from None
    return day


def _entry(upload: _Upload, rules: validation.Rules) -> tuple[dict, dict[str, list[str]]]:
    """The row's entries for record_observation, and a message per field that could not be read."""
    fields, problems, errors = {}, [], {}
    for key in ENTERED[rules.kind]:
        cell = upload.cells[key]
        if key in ("value", "numerator", "denominator"):
            fields[key] = _number(cell, problems, key)
        elif key == "done":
            try:
                fields[key] = _done(cell.value)
            except ValueError:
                errors[key] = [
                    _("“%(text)s” is not an answer: write Có (yes) or Không (no).")
                    % {"text": _text(cell.value)}
                ]
        else:
            try:
                fields[key] = _day(cell.value)
            except (ValueError, OverflowError):
                errors[key] = [
                    _("“%(text)s” is not a date: write it as dd/mm/yyyy, for example 05/03/2023.")
                    % {"text": _text(cell.value)}
                ]
    if rules.kind == validation.DONE and fields.get("done") is None and fields.get("done_on"):
        fields["done"] = True  # a date alone means done, as record_observation stores it
    fields["note"] = _text(upload.cells["note"].value)
    fields["comment"] = _text(upload.cells["comment"].value)
    return fields, {**render_problems(problems, rules), **errors}


# The import


def import_workbook(
    actor, round: ReportingRound, agency: Agency, upload, *, submit: bool = False
) -> ImportResult:
    """Store the values of an uploaded template, row by row, as record_observation does for the web form.

    Args:
        actor: the person uploading: a reporter or approver of the agency.
        round, agency: the round and agency the upload is for; a template of another is refused.
        upload: the file: a Django UploadedFile, a binary file object or bytes.
        submit: also submit every saved row and every other draft of the agency for the round (not the
            drafts of rows rejected or in conflict in this upload).

    Returns:
        What became of each row with entries; rows left empty are skipped. A valid row is saved even when
        another is rejected, each in its own transaction.

    Raises:
        PermissionDenied: the actor does not report for the agency.
        ExcelError: the file cannot be read as this round's template for this agency; nothing is stored.
    """
    period = services.as_period(round.period)
    indicators = {i.code: i for i in round.indicators.all()}
    if indicators and not any(policy.report_value(actor, i, agency) for i in indicators.values()):
        raise PermissionDenied
    if not round.agencies.filter(pk=agency.pk).exists():
        raise ExcelError("not_in_round", agency=agency.name, title=round.title)
    uploads = [u for u in _parse(_read(upload), round, agency) if not u.empty()]
    # A lead agency reports some national values, not all: refuse before storing anything.
    for u in uploads:
        if u.code in indicators and not policy.report_value(actor, indicators[u.code], agency):
            raise PermissionDenied
    result, seen = ImportResult(), set()
    for u in uploads:
        result.rows.append(_import_row(actor, round, agency, period, indicators, u, seen))
    if submit:
        _submit(actor, agency, period, indicators, result)
    return result


def _import_row(actor, round, agency, period, indicators: dict, upload: _Upload, seen: set) -> RowResult:
    indicator = indicators.get(upload.code)
    result = RowResult(upload.row, upload.code, indicator.name if indicator else "", "rejected")
    if indicator is None:
        result.messages = {
            "code": [
                _("This row has no indicator code: enter values only in the rows of the template.")
                if not upload.code
                else _("This indicator is not reported in the round “%(title)s”.") % {"title": round.title}
            ]
        }
        return result
    if upload.code in seen:
        result.messages = {
            "code": [
                _("The indicator %(code)s appears more than once in the file; keep one row for it.")
                % {"code": upload.code}
            ]
        }
        return result
    seen.add(upload.code)
    rules = services.entry_rules(indicator, agency, services.definition_for(indicator, period))
    fields, errors = _entry(upload, rules)
    if errors:
        result.messages = errors
        return result
    current = Observation.objects.filter(
        indicator=indicator, agency=agency, period=period.code, source=Observation.Source.REPORTED
    ).first()
    result.observation = current
    if _fingerprint(fields) == upload.fingerprint or (current and _same(fields, _stored(current, rules))):
        result.status = "unchanged"
        return result
    try:
        result.observation = services.record_observation(
            actor,
            indicator,
            agency,
            period,
            **fields,
            expected_version=upload.version,
            round=round,
        )
        result.status = "saved"
    except services.Conflict as conflict:
        result.status, result.observation = "conflict", conflict.current
        result.messages = {
            NON_FIELD_ERRORS: [
                *conflict.messages,
                _("Nothing was overwritten; download a new template to see the current value."),
            ]
        }
    except ValidationError as error:
        if getattr(error, "code", "") in ("edit_submitted", "edit_approved"):
            result.status = "locked"
        result.messages = (
            error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        )
    return result


def _submit(actor, agency, period, indicators: dict, result: ImportResult):
    # A rejected or conflicting row's older draft is not what the person meant to send.
    held = {row.code for row in result.problems}
    by_code = {row.code: row for row in result.rows}
    drafts = Observation.objects.filter(
        indicator__in=[i for code, i in indicators.items() if code not in held],
        agency=agency,
        period=period.code,
        source=Observation.Source.REPORTED,
        state=State.DRAFT,
    ).select_related("indicator", "agency")
    for draft in drafts:
        row = by_code.get(draft.indicator.code)
        try:
            submitted = services.submit_observation(actor, draft, expected_version=draft.version)
        except ValidationError as error:
            if row:
                row.messages.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
            continue
        result.submitted += 1
        if row:
            row.observation, row.submitted = submitted, True
