"""The 2023 summary report's classification of the 2022 indicators, reproduced by computation from the
published sample documents."""

from dxmonitor.indicators.figures import classify, national_figure
from dxmonitor.indicators.services import find_indicator
from dxmonitor.ingest.services import load_samples

# The report's table "a) Các chỉ tiêu tổng hợp": indicator, lead agency (Cơ quan chủ trì), result 2022.
ACHIEVED = [
    ("Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử", "BTC", 100),
    ("Tỷ trọng doanh thu thương mại điện tử trong tổng mức bán lẻ", "BCT", 7.5),
    ("Tỷ lệ người dân từ 15 tuổi trở lên có tài khoản thanh toán", "NHNN", 66),
    ("Tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ", "BTTTT", 80),
    ("Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến", "BTTTT", 54.34),
    ("Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", "BCT", 50),
    ("Tỷ lệ hộ gia đình có Internet cáp quang băng rộng", "BTTTT", 75),
    ("Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", "BTTTT", 30.07),
    ("Tỷ lệ dân số có điện thoại thông minh", "BTTTT", 85),
]
NOT_ACHIEVED = [
    ("Tỷ lệ báo cáo của cơ quan nhà nước được thực hiện trực tuyến", "VPCP", 40.47),
    ("Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở", "BTTTT", 11.8),
]


def test_the_2022_classification_has_9_achieved_and_2_not_achieved_with_the_reports_leads(registry):
    load_samples()
    rows = {row["code"]: row for row in classify("2022")}
    statuses = [row["status"] for row in rows.values()]
    assert (statuses.count("achieved"), statuses.count("not_achieved"), len(statuses)) == (9, 2, 11)
    for status, table in (("achieved", ACHIEVED), ("not_achieved", NOT_ACHIEVED)):
        for name, lead, value in table:
            indicator = find_indicator(name)
            assert indicator is not None, name
            row = rows[indicator.code]
            assert (row["status"], row["lead"], row["value"]) == (status, [lead], value), name
    assert {rows[find_indicator(name).code]["target"] for name, _lead, _value in NOT_ACHIEVED} == {50}


def test_the_figures_keep_their_source_and_the_reports_footnotes(registry):
    load_samples()
    trade = find_indicator("Tỷ trọng doanh thu thương mại điện tử trong tổng mức bán lẻ")
    row = next(row for row in classify("2022") if row["code"] == trade.code)
    assert (row["source"], row["note"]) == ("imported", "Số liệu theo dự báo của Bộ Công Thương.")
    assert (row["target_text"], row["text"]) == ("7%", "7,5%")
    # A value the report gives for an earlier year stands for that year only.
    contracts = find_indicator("Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử")
    assert national_figure(contracts, "2021")["value"] == 42
    assert national_figure(contracts, "2022")["value"] == 50
