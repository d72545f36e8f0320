from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.indicators import comparator, parse_number, prose_indicators

REPORT = """Hà Nội, ngày 25 tháng 02 năm 2023
BÁO CÁO TÓM TẮT
I. KẾT QUẢ
a) Các chỉ tiêu tổng hợp:
TT\tChỉ tiêu\tCơ quan chủ trì\tKết quả thực hiện năm 2022\tMục tiêu năm 2022
I\tCác chỉ tiêu đã hoàn thành\t\t\t
1\tTỷ trọng thương mại điện tử trong tổng mức bán lẻ\tBộ Công Thương\t7,5% ¹\t7%
2\tTỷ lệ dân số ² có điện thoại thông minh\tBộ Thông tin và Truyền thông\t85%\t85%
3\tTỷ lệ doanh nghiệp sử dụng hợp đồng điện tử\tBộ Công Thương\t50% ³\t50%
¹ Số liệu theo dự báo của Bộ Công Thương.
² Dân số trưởng thành.
³ Năm 2021 đạt 42%. Đến hết năm 2022 ước đạt 50%.
III. CÁC MỤC TIÊU QUAN TRỌNG
TT\tChỉ tiêu\tCơ quan chủ trì\tMục tiêu năm 2023
I\tDữ liệu số\t\t
1\tTỷ lệ bộ, ngành, địa phương ban hành kế hoạch về dữ liệu mở\tBộ, ngành, địa phương, doanh nghiệp nhà nước\tTrên 50%
2\tTỷ lệ kết quả giải quyết thủ tục hành chính được số hóa\tBộ, ngành, địa phương\t100%
\tTỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến\t\tTối thiểu 60%
II\tĐề án 06\t\t
3\tTrình ban hành Luật Căn cước sửa đổi\tBộ Công an\tTháng 12/2023
"""


def _by_name(indicators):
    return {i["name"]: i for i in indicators}


def test_an_indicator_table_gives_codes_groups_leads_results_and_targets():
    found = _by_name(extract(REPORT)["indicators"])
    share = found["Tỷ trọng thương mại điện tử trong tổng mức bán lẻ"]
    assert share["code"] == "1" and share["table"] == "I.a"
    assert share["group"] == "Các chỉ tiêu đã hoàn thành"
    assert [a["code"] for a in share["lead"]] == ["BCT"]
    assert share["unit"] == "%"
    assert share["targets"] == [{"period": "2022", "value": 7.0, "text": "7%", "comparator": ">="}]
    assert share["results"] == [
        {"period": "2022", "value": 7.5, "text": "7,5%", "note": "Số liệu theo dự báo của Bộ Công Thương."}
    ]


def test_a_footnote_on_a_name_is_the_indicators_note_and_its_mark_leaves_the_name():
    found = _by_name(extract(REPORT)["indicators"])
    assert found["Tỷ lệ dân số có điện thoại thông minh"]["note"] == "Dân số trưởng thành."


def test_a_footnote_giving_another_years_value_adds_a_result():
    results = _by_name(extract(REPORT)["indicators"])["Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử"][
        "results"
    ]
    assert [(r["period"], r["value"]) for r in results] == [("2022", 50.0), ("2021", 42.0)]


def test_targets_read_their_comparator_and_period_from_the_wording_and_the_header():
    found = _by_name(extract(REPORT)["indicators"])
    plans = found["Tỷ lệ bộ, ngành, địa phương ban hành kế hoạch về dữ liệu mở"]
    assert plans["targets"] == [{"period": "2023", "value": 50.0, "text": "Trên 50%", "comparator": ">="}]
    assert [a["code"] for a in plans["lead"]] == ["ALL_MINISTRIES_PROVINCES", "STATE_ENTERPRISES"]
    assert plans["group"] == "Dữ liệu số"


def test_an_unnumbered_row_is_an_indicator_under_the_row_above():
    online = _by_name(extract(REPORT)["indicators"])["Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến"]
    assert online["code"] is None and online["parent_code"] == "2"
    assert [a["code"] for a in online["lead"]] == ["ALL_MINISTRIES_PROVINCES"]
    assert online["targets"][0]["value"] == 60.0


def test_a_target_that_is_a_date_is_a_milestone():
    law = _by_name(extract(REPORT)["indicators"])["Trình ban hành Luật Căn cước sửa đổi"]
    assert law["unit"] is None
    assert law["targets"] == [
        {"period": "2023", "value": None, "text": "Tháng 12/2023", "comparator": None, "date": "2023-12-31"}
    ]


def test_indicator_tables_give_no_tasks():
    assert extract(REPORT)["tasks"] == []


def test_numbers_are_read_the_vietnamese_way():
    assert parse_number("54,34%") == 54.34
    assert parse_number("21.830.518 hồ sơ") == 21830518
    assert parse_number("Trên 8,5%") == 8.5
    assert comparator("Trên 60%") == ">=" and comparator("Tối thiểu 30%") == ">="
    assert comparator("Không quá 5%") == "<=" and comparator("80%") == ">="


def test_targets_stated_in_prose_are_indicators():
    found = prose_indicators(
        "Một số chỉ tiêu trong Kế hoạch năm 2022 còn thấp (Tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ đạt "
        "45,78%, mục tiêu là 80%; Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở là 3%, mục tiêu là 50%).",
        [],
    )
    assert [(i["name"], i["targets"][0]["value"], i["results"][0]["value"]) for i in found] == [
        ("Tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ", 80.0, 45.78),
        ("Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở", 50.0, 3.0),
    ]
    assert found[0]["targets"][0]["period"] == "2022"
    ranks = prose_indicators(
        "Bảo đảm Chỉ số phát triển Chính phủ điện tử tăng ít nhất 5 bậc và Chỉ số an toàn an ninh mạng "
        "thuộc nhóm 30 nước dẫn đầu.",
        [{"code": "BTTTT", "name": "Bộ Thông tin và Truyền thông"}],
    )
    assert [(i["targets"][0]["comparator"], i["targets"][0]["value"], i["unit"]) for i in ranks] == [
        (">=", 5.0, "bậc"),
        ("<=", 30.0, "thứ hạng"),
    ]
