import datetime as dt
import unicodedata

import pytest

from dxmonitor.core.vndates import Deadline, parse_date, parse_deadline, parse_deadlines

D = dt.date
DOC_2024 = D(2024, 4, 24)


def deadline_date(text, document_date=DOC_2024, column=False):
    found = parse_deadline(text, document_date, column=column)
    return found.date if found else None


# --- parse_date -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 10 tháng 5 năm 2024", D(2024, 5, 10)),
        ("10/5/2024", D(2024, 5, 10)),
        ("10-5-2024", D(2024, 5, 10)),
        ("ngày 25 tháng 02 năm 2023", D(2023, 2, 25)),
        ("27/9/2019", D(2019, 9, 27)),
        ("Hà Nội, ngày 25 tháng 02 năm 2023", D(2023, 2, 25)),
        ("Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị", D(2019, 9, 27)),
        ("ngày 10 tháng 5\n  năm 2024", D(2024, 5, 10)),
        ("ngày 29/02/2024", D(2024, 2, 29)),
    ],
)
def test_parse_date_reads_explicit_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "không có ngày",
        "ngày 29/02/2023",
        "ngày 10 tháng 5",
        "Nghị định số 10/2024/NĐ-CP",
        "12/53 dịch vụ",
    ],
)
def test_parse_date_returns_none_without_a_valid_full_date(text):
    assert parse_date(text) is None


def test_parse_date_skips_an_impossible_date_and_takes_the_next():
    assert parse_date("31/2/2024 hoặc 1/3/2024") == D(2024, 3, 1)


def test_parse_date_reads_nfd_text():
    assert parse_date(unicodedata.normalize("NFD", "ngày 10 tháng 5 năm 2024")) == D(2024, 5, 10)


# --- the EXTRACTION.md deadline table, one wording per test ---------------------------------------------

D22, D23 = D(2022, 1, 1), D(2023, 1, 1)
TABLE = [
    ("trước ngày 10 tháng 5 năm 2024", False, DOC_2024, D(2024, 5, 10), "date"),
    ("trước 30 tháng 6 năm 2024", False, DOC_2024, D(2024, 6, 30), "date"),
    ("trong tháng 5 năm 2024", False, DOC_2024, D(2024, 5, 31), "month"),
    ("ngay trong tháng 02/2023", False, D23, D(2023, 2, 28), "month"),
    ("đến tháng 7 năm 2021", False, D(2021, 3, 10), D(2021, 7, 31), "month"),
    ("hoàn thành trong tháng 6 năm 2024", False, DOC_2024, D(2024, 6, 30), "month"),
    ("trước tháng 12 năm 2024", False, DOC_2024, D(2024, 11, 30), "month"),
    ("Quý II năm 2024", True, DOC_2024, D(2024, 6, 30), "quarter"),
    ("trong Quý III năm 2022", False, D22, D(2022, 9, 30), "quarter"),
    ("Quý I/2023", True, D23, D(2023, 3, 31), "quarter"),
    ("quý 3/2024", True, DOC_2024, D(2024, 9, 30), "quarter"),
    ("Quý IV", True, DOC_2024, D(2024, 12, 31), "quarter"),
    ("nửa đầu năm 2024", True, DOC_2024, D(2024, 6, 30), "half"),
    ("6 tháng đầu năm", True, DOC_2024, D(2024, 6, 30), "half"),
    ("6 tháng đầu năm 2024", True, DOC_2024, D(2024, 6, 30), "half"),
    ("6 tháng cuối năm 2024", True, DOC_2024, D(2024, 12, 31), "half"),
    ("năm 2023", True, D23, D(2023, 12, 31), "year"),
    ("từ nay đến hết năm 2022", False, D22, D(2022, 12, 31), "year"),
    ("cho năm 2023", False, D22, D(2023, 12, 31), "year"),
    ("trong năm 2023", False, D23, D(2023, 12, 31), "year"),
    ("2025", True, D23, D(2025, 12, 31), "year"),
    ("6/2025", True, D23, D(2025, 6, 30), "month"),
    ("06/2025", True, D23, D(2025, 6, 30), "month"),
    ("Tháng 10/2025", True, D23, D(2025, 10, 31), "month"),
]


@pytest.mark.parametrize(
    ("text", "column", "document_date", "expected", "kind"), TABLE, ids=[row[0] for row in TABLE]
)
def test_it_reads_every_wording_of_the_deadline_table(text, column, document_date, expected, kind):
    assert parse_deadline(text, document_date, column) == Deadline(expected, text, None, kind)


@pytest.mark.parametrize(
    "text", ["Quý II năm 2024", "trong Quý III năm 2024", "6 tháng đầu năm 2024", "năm 2024", "Tháng 10/2024"]
)
def test_table_wordings_with_a_year_are_read_in_sentences_too(text):
    assert parse_deadline(text, DOC_2024) == parse_deadline(text, DOC_2024, column=True)


@pytest.mark.parametrize("text", ["thường xuyên", "Nhiệm vụ thường xuyên", "tiếp tục", "Tiếp tục"])
def test_it_reads_ongoing_wordings_as_a_deadline_without_a_date(text):
    assert parse_deadline(text, DOC_2024, column=True) == Deadline(None, text, None, "ongoing")


@pytest.mark.parametrize("text", ["Hằng năm", "hàng năm", "Định kỳ hằng năm"])
def test_it_reads_yearly_wordings_as_recurring(text):
    assert parse_deadline(text, DOC_2024, column=True) == Deadline(None, text, "yearly", "recurring")


@pytest.mark.parametrize("text", ["", "Trên 30%", "100% các bộ ngành, địa phương", "Sản phẩm: Nghị định"])
def test_it_returns_none_when_there_is_no_deadline_wording(text):
    assert parse_deadline(text, DOC_2024, column=True) is None


# --- numerals, spelling and layout ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "end"),
    [("I", D(2024, 3, 31)), ("II", D(2024, 6, 30)), ("III", D(2024, 9, 30)), ("IV", D(2024, 12, 31))],
)
def test_it_reads_quarter_in_roman_numerals(numeral, end):
    assert deadline_date(f"hoàn thành trong Quý {numeral} năm 2024", D(2024, 1, 1)) == end


@pytest.mark.parametrize(("numeral", "end"), [("1", D(2024, 3, 31)), ("4", D(2024, 12, 31))])
def test_it_reads_quarter_in_arabic_numerals(numeral, end):
    assert deadline_date(f"trong quý {numeral}/2024", D(2024, 1, 1)) == end


@pytest.mark.parametrize("word", ["Quý", "quý", "QUÝ", "Qúy", "Quí"])
def test_it_reads_quarter_whatever_the_case_or_accent_placement(word):
    assert deadline_date(f"trong {word} II năm 2024", D(2024, 1, 1)) == D(2024, 6, 30)


def test_it_reads_a_month_with_a_leading_zero():
    assert deadline_date("trong tháng 02 năm 2023", D(2023, 1, 1)) == D(2023, 2, 28)


def test_it_reads_nfd_input_and_returns_nfc_words():
    found = parse_deadline(unicodedata.normalize("NFD", "hoàn thành trong Quý III năm 2024"), D(2024, 1, 1))
    assert found.date == D(2024, 9, 30)
    assert found.text == "hoàn thành trong Quý III năm 2024"
    assert unicodedata.is_normalized("NFC", found.text)


def test_it_reads_a_phrase_broken_across_lines_and_gives_its_words_on_one_line():
    found = parse_deadline("trước ngày 10   tháng 5 \n\n năm 2024,", D(2024, 1, 1))
    assert found == Deadline(D(2024, 5, 10), "trước ngày 10 tháng 5 năm 2024", None, "date")


def test_it_keeps_the_original_case_of_the_words():
    assert (
        parse_deadline("Hoàn thành trong tháng 5 năm 2024.", DOC_2024).text
        == "Hoàn thành trong tháng 5 năm 2024"
    )


def test_it_accepts_a_datetime_as_the_document_date():
    assert deadline_date("trong Quý IV", dt.datetime(2024, 4, 24, 9, 30)) == D(2024, 12, 31)


# --- dates of the deadline itself -------------------------------------------------------------------


def test_the_deadline_day_itself_is_still_on_time():
    assert deadline_date("hoàn thành trước ngày 30 tháng 5 năm 2024") == D(2024, 5, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trước ngày 29 tháng 2 năm 2024", D(2024, 2, 29)),
        ("trong tháng 2 năm 2024", D(2024, 2, 29)),
        ("trong tháng 2 năm 2023", D(2023, 2, 28)),
        ("trước tháng 3 năm 2024", D(2024, 2, 29)),
        ("trước tháng 3 năm 2100", D(2100, 2, 28)),
    ],
)
def test_it_ends_february_on_the_right_day_in_leap_and_common_years(text, expected):
    assert deadline_date(text, D(2023, 1, 1)) == expected


def test_it_ignores_a_day_that_does_not_exist():
    assert parse_deadline("trước ngày 29 tháng 2 năm 2023", D(2023, 1, 1)) is None
    assert parse_deadline("trước ngày 31/4/2024", D(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trước Quý III/2024", D(2024, 6, 30)),
        ("trước năm 2025", D(2024, 12, 31)),
        ("trước tháng 1 năm 2025", D(2024, 12, 31)),
        ("trước cuối năm 2024", D(2024, 12, 31)),
        ("trước hết tháng 6 năm 2024", D(2024, 6, 30)),
    ],
)
def test_before_a_period_means_by_the_end_of_the_one_before_unless_it_says_its_end(text, expected):
    assert deadline_date(text, D(2024, 1, 1)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chậm nhất là ngày 30/6/2024", D(2024, 6, 30)),
        ("đến hết ngày 30/6/2024", D(2024, 6, 30)),
        ("đến ngày 30-6-2024", D(2024, 6, 30)),
        ("trước ngày 30.6.2024", D(2024, 6, 30)),
        ("đến cuối tháng 6/2024", D(2024, 6, 30)),
        ("hoàn thành trong tháng 3-4/2024", D(2024, 4, 30)),
        ("trong Quý II-III năm 2024", D(2024, 9, 30)),
        ("Thời hạn: Quý II/2024", D(2024, 6, 30)),
        ("Thời hạn hoàn thành: 2025.", D(2025, 12, 31)),
        ("Thời gian hoàn thành: 6/2025", D(2025, 6, 30)),
    ],
)
def test_it_reads_other_firm_deadline_wordings(text, expected):
    assert deadline_date(text, D(2024, 1, 1)) == expected


# --- months, quarters and halves without a year --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "document_date", "expected"),
    [
        ("hoàn thành trong tháng 5", D(2024, 4, 24), D(2024, 5, 31)),
        ("hoàn thành trong tháng 4", D(2024, 4, 24), D(2024, 4, 30)),
        ("hoàn thành trong tháng 3", D(2024, 4, 24), D(2025, 3, 31)),
        ("trong Quý IV", D(2024, 11, 1), D(2024, 12, 31)),
        ("trong Quý I", D(2024, 11, 1), D(2025, 3, 31)),
        ("trong 6 tháng đầu năm", D(2024, 8, 8), D(2025, 6, 30)),
        ("trong 6 tháng cuối năm", D(2024, 8, 8), D(2024, 12, 31)),
        ("trước ngày 15 tháng 3", D(2024, 3, 15), D(2024, 3, 15)),
        ("trước ngày 15/3", D(2024, 3, 16), D(2025, 3, 15)),
        ("trước tháng 1", D(2024, 4, 24), D(2024, 12, 31)),
    ],
)
def test_a_period_without_a_year_takes_the_documents_year_or_the_next_once_past(
    text, document_date, expected
):
    assert deadline_date(text, document_date) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trong năm nay", D(2024, 12, 31)),
        ("từ nay đến cuối năm", D(2024, 12, 31)),
        ("đến hết năm", D(2024, 12, 31)),
        ("trong năm sau", D(2025, 12, 31)),
    ],
)
def test_a_year_named_relative_to_the_document_is_placed_from_its_date(text, expected):
    assert deadline_date(text, DOC_2024) == expected


def test_a_period_without_a_year_is_skipped_when_the_document_date_is_unknown():
    assert parse_deadline("hoàn thành trong tháng 5", None) is None
    assert deadline_date("hoàn thành trong tháng 5 năm 2024", None) == D(2024, 5, 31)


# --- recurring and ongoing ------------------------------------------------------------------------


def test_a_day_followed_by_every_year_is_recurring_not_dated():
    found = parse_deadline("Báo cáo kết quả trước ngày 15 tháng 12 hằng năm.", DOC_2024)
    assert found == Deadline(None, "trước ngày 15 tháng 12 hằng năm", "yearly", "recurring")


def test_a_dated_deadline_wins_over_recurring_and_ongoing_wordings():
    text = "Tiếp tục rà soát, hằng năm báo cáo; hoàn thành trong Quý III năm 2024."
    assert parse_deadline(text, DOC_2024).date == D(2024, 9, 30)


def test_recurring_wins_over_ongoing_when_nothing_is_dated():
    found = parse_deadline("Tiếp tục theo dõi, hằng năm báo cáo Thủ tướng Chính phủ.", DOC_2024)
    assert found.kind == "recurring"


@pytest.mark.parametrize("text", ["định kỳ báo cáo", "báo cáo hằng quý", "cập nhật hàng tháng"])
def test_other_rhythms_of_work_are_ongoing(text):
    assert parse_deadline(text, DOC_2024).kind == "ongoing"


def test_recurrent_budget_spending_is_not_an_ongoing_task():
    assert parse_deadline("bố trí kinh phí thường xuyên cho chuyển đổi số", DOC_2024) is None
    assert parse_deadline("dự toán chi thường xuyên ngân sách nhà nước", DOC_2024) is None


# --- sentences: phrases found inside, years that are not deadlines left alone -----------------------


def test_it_finds_a_deadline_inside_a_longer_sentence():
    text = "Bộ Y tế khẩn trương hoàn thiện Đề án, trình Thủ tướng Chính phủ trong tháng 6 năm 2024."
    assert parse_deadline(text, DOC_2024) == Deadline(D(2024, 6, 30), "trong tháng 6 năm 2024", None, "month")


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị",
        "Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ",
        "Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030",
        "Chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025, định hướng đến năm 2030.",
        "Đề án phát triển ứng dụng dữ liệu về dân cư giai đoạn 2022 - 2025, tầm nhìn đến năm 2030.",
        "giai đoạn 2021-2025",
        "Kế hoạch năm 2024 của Ủy ban",
        "Yêu cầu thực hiện nghiêm Kế hoạch hoạt động năm 2024 của Ủy ban Quốc gia về chuyển đổi số.",
        "Thực hiện Nghị quyết số 01/NQ-CP năm 2021.",
        "Nghị định số 10/2024/NĐ-CP ngày 01 tháng 02 năm 2024 quy định về khu công nghệ cao",
        "tăng 37,92% so với cùng kỳ năm 2023.",
        "Tính đến ngày 17/02/2024, thu nhận 21.830.518 hồ sơ",
        "báo cáo kết quả triển khai từ đầu năm đến tháng 4 năm 2024, nhiệm vụ trọng tâm",
        "ban hành Đề án “Chuyển đổi số ngành y tế trong năm 2024”.",
        "triển khai ngay từ ngày 01 tháng 6 năm 2024",
        "Áp dụng thống nhất từ năm 2025.",
        "Tổng kết, đánh giá sau năm 2025.",
        "hoàn thành triển khai 12/53 dịch vụ công thiết yếu",
        "khẩn trương, quyết liệt triển khai, sớm đưa vào vận hành",
    ],
)
def test_it_leaves_citations_horizons_plan_names_and_spans_alone(text):
    assert parse_deadline(text, DOC_2024) is None


@pytest.mark.parametrize(
    "text",
    [
        "Trong Quý I năm 2024, doanh thu công nghiệp công nghệ thông tin đạt gần 36,3 tỷ USD",
        "trong quý I năm 2024 đã bồi dưỡng, tập huấn được gần 1.000 cán bộ",
        "Bộ đã ban hành trong tháng 3 năm 2024 Thông tư hướng dẫn",
        "khẩn trương xử lý các nhiệm vụ quá hạn trong năm 2023",
    ],
)
def test_it_reads_a_period_already_over_as_a_report_of_the_past(text):
    assert parse_deadline(text, DOC_2024) is None


def test_a_firm_deadline_already_past_at_the_document_date_is_kept():
    assert deadline_date("hoàn thành trước ngày 20 tháng 4 năm 2024", DOC_2024) == D(2024, 4, 20)


def test_a_year_closing_a_directive_is_its_deadline():
    text = "Tham mưu bố trí kinh phí từ ngân sách Nhà nước cho triển khai chuyển đổi số năm 2024."
    assert parse_deadline(text, DOC_2024) == Deadline(D(2024, 12, 31), "năm 2024", None, "year")


def test_a_year_in_the_middle_of_a_sentence_without_a_cue_is_not_a_deadline():
    assert parse_deadline("Kế hoạch chuyển đổi số năm 2024 của bộ, ngành, địa phương", DOC_2024) is None


def test_a_bare_year_or_month_needs_a_deadline_column():
    assert parse_deadline("đạt 2025 tài khoản, 6/2025 hồ sơ", DOC_2024) is None
    assert deadline_date("2025", DOC_2024, column=True) == D(2025, 12, 31)
    assert deadline_date("6/2025", DOC_2024, column=True) == D(2025, 6, 30)


def test_a_deadline_column_reads_year_spans_and_horizons_as_deadlines():
    assert deadline_date("2021-2025", D(2021, 1, 1), column=True) == D(2025, 12, 31)
    assert deadline_date("đến năm 2025", D(2021, 1, 1), column=True) == D(2025, 12, 31)
    assert deadline_date("Trước 2025", D(2021, 1, 1), column=True) == D(2024, 12, 31)


def test_several_deadlines_in_one_sentence_give_the_latest():
    text = "Hoàn thành dự thảo trong Quý II năm 2024, trình Chính phủ trước tháng 12 năm 2024."
    assert deadline_date(text, D(2024, 1, 1)) == D(2024, 11, 30)


def test_several_deadlines_in_a_column_give_the_latest():
    assert deadline_date("Quý II/2024 (dự thảo); Quý IV/2024 (trình)", D(2024, 1, 1), column=True) == D(
        2024, 12, 31
    )


def test_parse_deadlines_lists_every_deadline_in_reading_order():
    text = (
        "Tiếp tục triển khai; hoàn thành thử nghiệm trong Quý II năm 2024, chính thức trước ngày 30/9/2024."
    )
    found = parse_deadlines(text, D(2024, 1, 1))
    assert [(d.date, d.text, d.kind) for d in found] == [
        (None, "Tiếp tục", "ongoing"),
        (D(2024, 6, 30), "trong Quý II năm 2024", "quarter"),
        (D(2024, 9, 30), "trước ngày 30/9/2024", "date"),
    ]


def test_a_loose_year_holding_a_firmer_deadline_is_the_scope_of_the_work():
    text = "khẩn trương xây dựng Kế hoạch triển khai Đề án 06 trong năm 2023, hoàn thành ngay trong tháng 02/2023."
    found = parse_deadlines(text, D(2023, 2, 25))
    assert [d.text for d in found] == ["hoàn thành ngay trong tháng 02/2023"]


def test_a_firm_year_holding_a_milestone_stays_the_deadline():
    text = "Hoàn thành trong năm 2024, trong đó trình ban hành Nghị định trong tháng 5 năm 2024."
    assert deadline_date(text, D(2024, 1, 1)) == D(2024, 12, 31)


def test_equal_dates_give_the_first_wording():
    text = "bảo đảm kết nối với Đề án 06 trong nửa đầu năm 2024 (trước 30 tháng 6 năm 2024)."
    assert parse_deadline(text, DOC_2024).text == "trong nửa đầu năm 2024"


# --- real sentences from the seed notices (hand-checked against EXTRACTION.md) -------------------------

DOC_000, DOC_001, DOC_002, DOC_003, DOC_004 = (
    D(2022, 8, 8),
    D(2022, 4, 27),
    D(2023, 2, 25),
    D(2021, 3, 10),
    DOC_2024,
)
SEEDS = [
    (
        "004-1a",
        "a) Khẩn trương kiện toàn Ban Chỉ đạo chuyển đổi số trước ngày 10 tháng 5 \n\nnăm 2024, bảo đảm hoạt động "
        "mạnh mẽ, thực chất, hiệu quả.",
        DOC_004,
        D(2024, 5, 10),
    ),
    (
        "004-1c",
        "c) Nghiên cứu kinh nghiệm của Bộ Công an về triển khai Đề án 06, xây dựng \nđề án chuyển đổi số của bộ, "
        "ngành, địa phương, bảo đảm kết nối với Đề án 06 trong \nnửa đầu năm 2024 (trước 30 tháng 6 năm 2024).",
        DOC_004,
        D(2024, 6, 30),
    ),
    (
        "004-1d",
        "Yêu cầu 07 Ủy ban nhân dân các tỉnh, thành phố An Giang, Cần Thơ, Đắk \nNông, Kiên Giang, Sóc Trăng, Tây "
        "Ninh và Thành phố Hồ Chí Minh khẩn trương \ntrình Hội đồng nhân dân cùng cấp ban hành nghị quyết về miễn, "
        "giảm phí, lệ phí \ntrong sử dụng dịch vụ công trực tuyến. Hoàn thành trong tháng 5 năm 2024.",
        DOC_004,
        D(2024, 5, 31),
    ),
    (
        "004-1e",
        "e) Rà soát, điều chỉnh hệ thống thông tin giải quyết thủ tục hành chính cấp bộ, \ncấp tỉnh theo Thông tư "
        "21/2023/TT-BTTTT ngày 31 tháng 12 năm 2023 quy định \nvề chức năng, tính năng kỹ thuật của hệ thống thông "
        "tin giải quyết thủ tục hành chính \ncấp bộ, cấp tỉnh; các bộ, ngành, địa phương chưa hoàn thành việc tích "
        "hợp giải pháp \nký số từ xa vào Cổng Dịch vụ công, phối hợp Bộ Thông tin và Truyền thông triển \nkhai, "
        "thực hiện, hoàn thành trong Quý II năm 2024.",
        DOC_004,
        D(2024, 6, 30),
    ),
    (
        "004-1g",
        "g) Các địa phương phối hợp chặt chẽ với các doanh nghiệp viễn thông, điện lực \nxóa bỏ các vùng lõm sóng "
        "di động tại các thôn, bản đã có điện lưới quốc gia, hoàn \nthành trước tháng 12 năm 2024; tiếp tục nâng "
        "cao chất lượng mạng băng rộng di động.",
        DOC_004,
        D(2024, 11, 30),
    ),
    (
        "004-2b",
        "b) Sớm hoàn thiện và trình Thủ tướng Chính phủ ban hành trong tháng 5 năm \n2024 về Chiến lược Phát triển "
        "ngành công nghiệp bán dẫn Việt Nam đến năm 2030.",
        DOC_004,
        D(2024, 5, 31),
    ),
    (
        "004-4a",
        "a) Khẩn trương trình Thủ tướng Chính phủ trong tháng 5 năm 2024 ban hành \n\nĐề án “Phát triển nguồn nhân "
        "lực ngành công nghiệp bán dẫn đến năm 2030, định \nhướng đến năm 2045”.",
        DOC_004,
        D(2024, 5, 31),
    ),
    (
        "004-6a",
        "a) Khẩn trương hoàn thiện, trình Chính phủ ban hành Nghị định quy định \n\nviệc lập dự toán, quản lý, sử "
        "dụng kinh phí thường xuyên ngân sách nhà nước để \nthực hiện các dự án đầu tư xây dựng, cải tạo, nâng cấp, "
        "mở rộng dự án, mua sắm \ntài sản, sửa chữa, nâng cấp trang thiết bị, hoàn thành trước ngày 30 tháng 5 năm "
        "\n2024 theo đúng chỉ đạo của Thủ tướng Chính phủ tại Thông báo số 156/TB-VPCP \nngày 10 tháng 4 năm 2024 "
        "và Phó Thủ tướng Lê Minh Khái tại Thông báo số \n181/TB-VPCP ngày 25 tháng 4 năm 2024 của Văn phòng Chính "
        "phủ.",
        DOC_004,
        D(2024, 5, 30),
    ),
    (
        "004-7",
        "7. Bộ Y tế chủ trì, phối hợp với các Bộ, ngành khẩn trương hoàn thiện trình \nThủ tướng Chính phủ phê "
        "duyệt Đề án tổng thể phát triển hạ tầng và ứng dụng \ncông nghệ thông tin phục vụ chuyển đổi số y tế đến "
        "năm 2030, hoàn thành trong \ntháng 6 năm 2024.",
        DOC_004,
        D(2024, 6, 30),
    ),
    (
        "004-6b",
        "b) Đối với các khoản chi của ngân sách trung ương năm 2024 chưa phân bổ\ncho các bộ, cơ quan để thực hiện "
        "các nhiệm vụ của Đề án 06; chủ trì, phối hợp với \nbộ, cơ quan liên quan căn cứ Nghị quyết số "
        "105/2023/QH15 ngày 10 tháng 11 năm \n2023 của Quốc hội và quy định liên quan, khẩn trương rà soát, tổng "
        "hợp, đề xuất \nphương án phân bổ, báo cáo Chính phủ để trình cấp có thẩm quyền theo quy định; \nhoàn "
        "thành nhiệm vụ này theo đúng chỉ đạo của Thủ tướng Chính phủ tại Thông báo \nsố 156/TB-VPCP ngày 10 "
        "tháng 4 năm 2024 và Phó Thủ tướng Lê Minh Khái tại \nThông báo số 181/TB-VPCP ngày 25 tháng 4 năm 2024 "
        "của Văn phòng Chính phủ.",
        DOC_004,
        None,
    ),
    (
        "004-1b",
        "b) Ưu tiên các nguồn lực, bảo đảm hoàn thành các nhiệm vụ được giao tại \n\nChương trình chuyển đổi số "
        "quốc gia và 03 Chiến lược: (i) Về phát triển Chính phủ \nsố; (ii) Về phát triển kinh tế số và xã hội số; "
        "(iii) Về phát triển dữ liệu số. Trong \nđó, khẩn trương xử lý các nhiệm vụ quá hạn, tồn đọng trong giai "
        "đoạn 2022-2023.",
        DOC_004,
        None,
    ),
    (
        "000-4b-quy-III",
        "- Chỉ đạo triển khai kết nối Mạng truyền số liệu chuyên dùng của các cơ \n\nquan Đảng, Nhà nước đến các "
        "xã chưa được kết nối (còn 3% xã), phấn đấu hoàn \n\nthành kết nối 100% xã trên toàn quốc trong Quý III năm "
        "2022.",
        DOC_000,
        D(2022, 9, 30),
    ),
    (
        "000-4e",
        "- Trình Thủ tướng Chính phủ phê duyệt Đề án triển khai thí điểm mô hình \n\ngiáo dục đại học số trong năm "
        "2022.",
        DOC_000,
        D(2022, 12, 31),
    ),
    (
        "000-4a-kinh-phi",
        "- Rà soát, đăng ký, phân bổ nguồn lực cho việc phát triển và triển khai các \n\nnền tảng số, đặc biệt là "
        "kinh phí cho năm 2023.",
        DOC_000,
        D(2023, 12, 31),
    ),
    (
        "000-4dd",
        "- Chủ trì tổng hợp, tham mưu bố trí kinh phí thường xuyên từ ngân sách \n\nNhà nước cho triển khai chuyển "
        "đổi số năm 2023.",
        DOC_000,
        D(2023, 12, 31),
    ),
    (
        "000-4c-tam-nhin",
        "c) Bộ Công an chủ trì, phối hợp với Văn phòng Chính phủ và các bộ, ngành, \n\nđịa phương tiếp tục tổ chức "
        "triển khai hiệu quả Đề án phát triển ứng dụng dữ liệu \n\nvề dân cư, định danh và xác thực điện tử phục vụ "
        "chuyển đổi số giai đoạn 2022 - \n\n2025, tầm nhìn đến năm 2030. Thúc đẩy hoàn thiện các Nghị định liên "
        "quan đến \n\ngiao dịch điện tử.",
        DOC_000,
        None,
    ),
    (
        "001-4c",
        "Chủ trì, phối hợp với các bộ, cơ quan liên quan hoàn thiện dự thảo Nghị định về định danh và xác thực "
        "điện tử, trình Chính phủ ban hành trong tháng 5 năm 2022.",
        DOC_001,
        D(2022, 5, 31),
    ),
    (
        "001-4e",
        "- Chủ trì, phối hợp với Bộ Thông tin và Truyền thông và các bộ, cơ quan liên quan đẩy nhanh triển khai mô "
        "hình giáo dục đại học số, hoàn thành Đề án thí điểm trong quý II năm 2022.",
        DOC_001,
        D(2022, 6, 30),
    ),
    (
        "001-4n",
        "- Ban hành hoặc cập nhật kế hoạch, chương trình hành động đến năm 2025 của cấp chính quyền với đầy đủ 3 "
        "trụ cột chính quyền số, kinh tế số và xã hội số, phù hợp với các chiến lược quốc gia và tình hình, khả "
        "năng của cơ quan, địa phương mình.",
        DOC_001,
        None,
    ),
    (
        "002-bon-la",
        "- **Bốn là**, khẩn trương xây dựng Kế hoạch triển khai Đề án 06 trong năm 2023, hoàn thành ngay trong "
        "tháng 02/2023.",
        DOC_002,
        D(2023, 2, 28),
    ),
    (
        "002-ba-la",
        "- **Ba là**, khẩn trương xây dựng Kế hoạch chuyển đổi số năm 2023 của bộ, ngành, địa phương theo hướng "
        "dẫn tại Văn bản số 5406/BTTTT-CĐSQG ngày 03/11/2022 của Bộ Thông tin và Truyền thông, hoàn thành ngay "
        "trong tháng 02/2023.",
        DOC_002,
        D(2023, 2, 28),
    ),
    (
        "002-1.2",
        "Ban Chỉ đạo chuyển đổi số của các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ điều phối, chỉ đạo triển "
        "khai, hoàn thành các mục tiêu nêu tại Mục III thuộc phạm vi trách nhiệm của bộ, ngành, lĩnh vực mình quản "
        "lý, phù hợp với đặc điểm và thực tiễn của bộ, ngành, lĩnh vực; trong Quý I/2023 ban hành kế hoạch chuyển "
        "đổi số, phát triển chính phủ số, kinh tế số và xã hội số năm 2023 và kế hoạch hoạt động năm 2023 của Ban "
        "Chỉ đạo đổi số của bộ, ngành mình. Trong trường hợp đã ban hành kế hoạch năm 2023 trước đó, trong Quý "
        "I/2023 hoàn thành rà soát, cập nhật cho phù hợp với Kế hoạch hoạt động của Ủy ban Quốc gia về chuyển đổi "
        "số năm 2023.",
        DOC_002,
        D(2023, 3, 31),
    ),
    (
        "002-3.6",
        "Tiếp tục hoàn thiện ứng dụng VNeID, phấn đấu đến tháng 6 năm 2023 cấp được 40 triệu tài khoản định danh "
        "điện tử cho người dân.",
        DOC_002,
        D(2023, 6, 30),
    ),
    (
        "002-intro",
        "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ "
        "tướng Chính phủ phê duyệt “Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030”; "
        "Quyết định số 942/QĐ-TTg ngày 15/6/2021 của Thủ tướng Chính phủ phê duyệt Chiến lược phát triển Chính phủ "
        "điện tử hướng tới Chính phủ số giai đoạn 2021-2025, định hướng đến năm 2030;",
        DOC_002,
        None,
    ),
    (
        "003-c-dan-cu",
        "- Bộ Công an triển khai hiệu quả Cơ sở dữ liệu quốc gia về dân cư, kết \n\nnối, chia sẻ, khai thác triệt "
        "để dữ liệu để giảm tối đa giấy tờ trong xử lý thủ tục \n\nhành chính, đến tháng 7 năm 2021 khai thác, sử "
        "dụng chính thức trên diện rộng.",
        DOC_003,
        D(2021, 7, 31),
    ),
    (
        "003-c-dat-dai",
        "- Bộ Tài nguyên và Môi trường đẩy nhanh tiến độ xây dựng Cơ sở dữ liệu \n\nĐất đai quốc gia, bảo đảm đến "
        "tháng 07 năm 2021 hoàn thành kết nối, chia sẻ dữ \n\nliệu đất đai theo quy định.",
        DOC_003,
        D(2021, 7, 31),
    ),
    (
        "003-a-chien-luoc",
        "- Bộ Thông tin và Truyền thông: Khẩn trương tiếp thu ý kiến của các \n\nthành viên Chính phủ để hoàn thiện "
        "dự thảo Nghị định về định danh và xác thực \n\nđiện tử trình Chính phủ xem xét, ban hành; hoàn thiện, "
        "trình Chính phủ ban hành \n\nChiến lược phát triển Chính phủ điện tử hướng tới Chính phủ số giai đoạn "
        "2021-\n\n2025, định hướng đến năm 2030.",
        DOC_003,
        None,
    ),
    (
        "003-intro",
        "sơ kết 02 năm triển khai Nghị quyết số 17/NQ-CP ngày 07 tháng 3 năm 2019 \n\ncủa Chính phủ về một số nhiệm "
        "vụ, giải pháp trọng tâm phát triển Chính phủ \n\nđiện tử giai đoạn 2019 - 2020, định hướng đến 2025",
        DOC_003,
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "document_date", "expected"), [s[1:] for s in SEEDS], ids=[s[0] for s in SEEDS]
)
def test_it_reads_the_deadline_of_real_directives_from_the_seed_notices(text, document_date, expected):
    assert deadline_date(text, document_date) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Tháng 12/2023", D(2023, 12, 31)),
        ("Tháng 3/2023", D(2023, 3, 31)),
        ("Tháng 6/2023", D(2023, 6, 30)),
        ("Hoàn thành thử nghiệm Quý I/2023", D(2023, 3, 31)),
        ("Quý I/2023", D(2023, 3, 31)),
        ("100% các bộ ngành, địa phương", None),
    ],
)
def test_it_reads_deadline_cells_from_the_2023_summary_tables(cell, expected):
    assert deadline_date(cell, DOC_002, column=True) == expected


def test_seed_sentences_about_finished_work_give_no_deadline():
    assert parse_deadline("Trong 6 tháng đầu năm 2022, đã ghi nhận, cảnh báo", DOC_000) is None
    assert (
        parse_deadline("trong quý I năm 2022 đã bồi dưỡng, tập huấn được gần 1.000 cán bộ", DOC_001) is None
    )
    text = (
        "6. Kinh tế số, xã hội số tiếp tục có bước phát triển tích cực. Trong Quý I năm \n2024, doanh thu đạt"
    )
    assert parse_deadline(text, DOC_004).kind == "ongoing"
