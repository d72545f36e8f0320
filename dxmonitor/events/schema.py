"""The record schema of public-service dossiers (hồ sơ thủ tục hành chính) and its codes. No Django here.

docs/events-schema.md documents the same list for the systems that send records; a test keeps the two
in step. Input values are text, booleans or timestamps; storage codes months, channels and states as
small integers (see STORED_COLUMNS), because that is what the monthly computation reads.
"""

from dataclasses import dataclass

from dxmonitor.core.periods import Period

TEXT, BOOLEAN, TIMESTAMP = "text", "boolean", "timestamp"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    meaning: str


FIELDS = [
    Field(
        "dossier_id", TEXT, True, "The dossier's id (mã hồ sơ) in the sending system; at most 64 characters."
    ),
    Field(
        "agency_code",
        TEXT,
        True,
        "The receiving agency, by registry code: X… commune, P… province, or a ministry code "
        "(BTP, BCA…); it must exist on the submission date.",
    ),
    Field("service_code", TEXT, True, "The administrative procedure's code (mã thủ tục hành chính)."),
    Field("fully_online_service", BOOLEAN, True, "The service is offered fully online (toàn trình)."),
    Field("channel", TEXT, True, "How the dossier was submitted: online, in_person or post."),
    Field(
        "submitted_at", TIMESTAMP, True, "When the dossier was received; its month is the dossier's month."
    ),
    Field("due_at", TIMESTAMP, False, "When the result is due (hạn trả kết quả); empty when due at once."),
    Field("completed_at", TIMESTAMP, False, "When the result was returned; required when the state is done."),
    Field(
        "state",
        TEXT,
        True,
        "received, processing, supplement_requested, done, rejected or withdrawn.",
    ),
    Field(
        "digital_result", BOOLEAN, True, "The result was issued as an electronic document (kết quả điện tử)."
    ),
    Field(
        "data_reused",
        BOOLEAN,
        True,
        "Data came from national databases instead of being entered again (tái sử dụng dữ liệu).",
    ),
    Field("digitised", BOOLEAN, True, "The dossier was digitised (số hóa hồ sơ)."),
    Field("paid_online", BOOLEAN, False, "The fee was paid online; empty when the service charges no fee."),
    Field("version_time", TIMESTAMP, True, "When this version of the record was made; the latest one wins."),
    Field("synthetic", BOOLEAN, False, "Made up for demos and benchmarks (dữ liệu minh họa); default false."),
]
FIELD_NAMES = [f.name for f in FIELDS]
REQUIRED = [f.name for f in FIELDS if f.required]
BY_NAME = {f.name: f for f in FIELDS}

CHANNELS = {"online": 1, "in_person": 2, "post": 3}
STATES = {
    "received": 1,
    "processing": 2,
    "supplement_requested": 3,
    "done": 4,
    "rejected": 5,
    "withdrawn": 6,
}
DONE = STATES["done"]

# Kinds of agency that receive dossiers; any other kind (the nation, collectives, enterprises) does not.
RECEIVING_KINDS = ("commune", "province", "ministry", "ministry_level", "government_agency", "central_body")
CENTRAL_KINDS = ("ministry", "ministry_level", "government_agency", "central_body")
MAX_ID_LENGTH = 64

# One stored row: the record with codes for what the computation reads. `month` is not in the files:
# it is the partition directory (month=YYYYMM), as Spark and DuckDB read hive partitions.
STORED_COLUMNS = {
    "dossier_id": "VARCHAR",
    "dossier_key": "BIGINT",
    "version_time": "TIMESTAMP",
    "agency_id": "INTEGER",
    "service_code": "VARCHAR",
    "fully_online_service": "TINYINT",
    "channel": "TINYINT",
    "state": "TINYINT",
    "submitted_at": "TIMESTAMP",
    "due_at": "TIMESTAMP",
    "completed_at": "TIMESTAMP",
    "digital_result": "TINYINT",
    "data_reused": "TINYINT",
    "digitised": "TINYINT",
    "paid_online": "TINYINT",
    "on_time": "TINYINT",
    "synthetic": "TINYINT",
}

# The measures computed per agency and month: (code, numerator column, denominator column, unit, names).
MEASURES = [
    ("dossiers", "dossiers", None, "hồ sơ", "Số hồ sơ thủ tục hành chính tiếp nhận", "Dossiers received"),
    (
        "online_submitted",
        "online",
        "dossiers",
        "%",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "Share of dossiers submitted online",
    ),
    (
        "fully_online",
        "fully_online",
        "dossiers",
        "%",
        "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình",
        "Share of dossiers processed fully online",
    ),
    (
        "digital_result",
        "digital_result",
        "dossiers",
        "%",
        "Tỷ lệ hồ sơ có kết quả điện tử",
        "Share of dossiers with a digital result",
    ),
    (
        "data_reused",
        "data_reused",
        "dossiers",
        "%",
        "Tỷ lệ hồ sơ tái sử dụng dữ liệu",
        "Share of dossiers reusing data from national databases",
    ),
    ("digitised", "digitised", "dossiers", "%", "Tỷ lệ hồ sơ được số hóa", "Share of dossiers digitised"),
    (
        "on_time",
        "on_time",
        "done",
        "%",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "Share of completed dossiers done on time",
    ),
    (
        "paid_online",
        "paid_online",
        "with_fee",
        "%",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "Share of fee-charging dossiers paid online",
    ),
]
# The counts kept per agency and month, in this order, by every query and aggregate file.
COUNTS = [
    "dossiers",
    "online",
    "fully_online",
    "digital_result",
    "data_reused",
    "digitised",
    "done",
    "on_time",
    "with_fee",
    "paid_online",
    "synthetic",
]


def indicator_code(measure: str) -> str:
    """The code of the computed indicator of a measure: EV.ONLINE_SUBMITTED and so on."""
    return "EV." + measure.upper()


def month_code(year: int, month: int) -> int:
    """A month as the integer the store uses: 202507."""
    return year * 100 + month


def month_of(text: str) -> int:
    """The stored month of a period code such as "2025-07"; ValueError for anything but a month."""
    period = Period.parse(text)
    if period.kind != "month":
        raise ValueError(f"Give a month, such as 2025-07, not {text}")
    return month_code(period.year, period.index)


def month_period(code: int) -> str:
    """The period code of a stored month: 202507 → "2025-07"."""
    return f"{code // 100:04d}-{code % 100:02d}"
