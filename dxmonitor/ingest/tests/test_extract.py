import datetime as dt

from dxmonitor.ingest.extract import extract

HEADER = "VĂN PHÒNG CHÍNH PHỦ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 156/TB-VPCP\tHà Nội, ngày 10 tháng 4 năm 2024\n"


def _notice(body: str, header: str = HEADER) -> str:
    return header + "THÔNG BÁO\nKết luận của Thủ tướng Chính phủ tại cuộc họp về chuyển đổi số\n" + body


def _codes(agencies):
    return [a["code"] for a in agencies]


def _by_clause(result):
    return {t["clause"]: t for t in result["tasks"]}


def test_it_reads_the_header_but_not_numbers_cited_in_the_body():
    result = extract(
        _notice("1. Bộ Tài chính thực hiện theo Thông báo số 181/TB-VPCP ngày 25 tháng 4 năm 2024.\n")
    )
    assert result["document"] == {
        "title": "Kết luận của Thủ tướng Chính phủ tại cuộc họp về chuyển đổi số",
        "date": "2024-04-10",
        "number": "156/TB-VPCP",
        "kind": "conclusion",
    }


def test_each_bullet_under_an_agency_heading_is_a_task_of_that_agency():
    body = """1. Các nhiệm vụ trọng tâm:
a) Bộ Công an
- Hoàn thiện dự thảo Nghị định về định danh điện tử, trình Chính phủ trong tháng 5 năm 2024.
- Phối hợp với Bộ Tư pháp và các bộ, cơ quan liên quan rà soát văn bản.
b) Bộ Y tế chủ trì, phối hợp với Văn phòng Chính phủ và các bộ, ngành xây dựng Đề án, hoàn thành trước ngày 30 tháng 6 năm 2024.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert set(tasks) == {"1.a.1", "1.a.2", "1.b"}
    assert _codes(tasks["1.a.1"]["lead"]) == ["BCA"]
    assert tasks["1.a.1"]["deadline"] == {"date": "2024-05-31", "text": "trong tháng 5 năm 2024"}
    assert _codes(tasks["1.a.2"]["lead"]) == ["BCA"]
    assert _codes(tasks["1.a.2"]["coordinating"]) == ["BTP", "RELATED_AGENCIES"]
    assert _codes(tasks["1.b"]["lead"]) == ["BYT"]
    assert _codes(tasks["1.b"]["coordinating"]) == ["VPCP", "ALL_MINISTRIES"]
    assert tasks["1.b"]["deadline"]["date"] == "2024-06-30"
    assert tasks["1.a.1"]["group"] == "Bộ Công an"
    assert tasks["1.a.1"]["source"].startswith("- Hoàn thiện dự thảo")


def test_results_and_viewpoints_give_no_tasks_but_an_outright_assignment_does():
    body = """1. Ghi nhận, biểu dương các bộ, ngành đã tích cực triển khai. Giao Bộ Nội vụ chủ trì, phối hợp với Văn phòng Chính phủ đề xuất khen thưởng.
2. Bên cạnh những kết quả đạt được, còn nhiều tồn tại, hạn chế.
3. Thống nhất một số quan điểm như sau:
- Chuyển đổi số phải lấy người dân làm trung tâm.
4. Các nhiệm vụ trọng tâm:
a) Bộ Tài chính khẩn trương bố trí kinh phí.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert set(tasks) == {"1", "4.a"}
    assert (
        tasks["1"]["text"] == "Giao Bộ Nội vụ chủ trì, phối hợp với Văn phòng Chính phủ đề xuất khen thưởng."
    )
    assert _codes(tasks["1"]["lead"]) == ["BNV"]
    assert _codes(tasks["1"]["coordinating"]) == ["VPCP"]


def test_doers_listed_after_a_colon_all_lead():
    body = """2. Nhiệm vụ trọng tâm phân công các tỉnh:
a) Tổ chức triển khai mô hình tỉnh chuyển đổi số điển hình: Bắc Giang, Bắc Ninh, TP. Hải Phòng.
b) Triển khai chuyển đổi số toàn diện: Lào Cai (bệnh viện), Nam Định (trường học).
"""
    tasks = _by_clause(extract(_notice(body)))
    assert _codes(tasks["2.a"]["lead"]) == ["P24-63", "P27-63", "P31-63"]
    assert _codes(tasks["2.b"]["lead"]) == ["P10-63", "P36-63"]


def test_a_ministry_list_after_a_colon_reads_each_item_as_a_ministry():
    body = "3. Nhiệm vụ:\na) Lãnh đạo các Bộ: Công an, Tư pháp, Y tế khẩn trương hoàn thiện hồ sơ.\n"
    assert _codes(_by_clause(extract(_notice(body)))["3.a"]["lead"]) == ["BCA", "BTP", "BYT"]


def test_agencies_are_resolved_as_they_were_on_the_documents_date():
    body = "1. Các nhiệm vụ:\na) Ủy ban nhân dân tỉnh Bắc Ninh khẩn trương hoàn thành.\n"
    before = extract(_notice(body))
    after = extract(_notice(body), document_date=dt.date(2026, 1, 5))
    assert _codes(before["tasks"][0]["lead"]) == ["P27-63"]
    assert _codes(after["tasks"][0]["lead"]) == ["P24"]


def test_a_second_paragraph_that_gives_work_to_others_is_a_task_of_its_own():
    body = """1. Các bộ, cơ quan, địa phương
a) Hoàn thành triển khai các dịch vụ công thiết yếu còn lại.
Yêu cầu Ủy ban nhân dân các tỉnh, thành phố An Giang, Cần Thơ khẩn trương ban hành nghị quyết. Hoàn thành trong tháng 5 năm 2024.
b) Rà soát hệ thống thông tin.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert set(tasks) == {"1.a", "1.a.2", "1.b"}
    assert _codes(tasks["1.a"]["lead"]) == ["ALL_MINISTRIES_PROVINCES"]
    assert tasks["1.a"]["deadline"] is None
    assert _codes(tasks["1.a.2"]["lead"]) == ["P89-63", "P92-63"]
    assert tasks["1.a.2"]["deadline"]["date"] == "2024-05-31"


def test_a_timeframe_of_a_lead_in_applies_unless_it_is_open_ended():
    body = """1. Đề nghị chỉ đạo các bộ, ngành, địa phương triển khai các nhiệm vụ sau trong năm 2024:
- Xây dựng kế hoạch chuyển đổi số, hoàn thành trong tháng 6 năm 2024.
- Triển khai hiệu quả kế hoạch hành động.
2. Các nhiệm vụ trọng tâm từ nay đến hết năm 2024 và thời gian tới:
a) Bộ Công an đẩy mạnh triển khai Đề án 06.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert tasks["1.1"]["deadline"]["date"] == "2024-06-30"
    assert tasks["1.2"]["deadline"]["date"] == "2024-12-31"
    assert tasks["2.a"]["deadline"] is None


def test_a_yearly_task_keeps_its_recurrence_and_an_ongoing_one_has_no_deadline():
    body = """1. Nhiệm vụ:
a) Bộ Thông tin và Truyền thông tổng hợp, báo cáo hằng năm.
b) Bộ Công an thường xuyên rà soát.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert tasks["1.a"]["deadline"] == {"date": None, "text": "hằng năm", "recurrence": "yearly"}
    assert tasks["1.b"]["deadline"] is None


def test_collective_doers_and_compound_collectives():
    body = """1. Nhiệm vụ:
a) Các bộ, ngành, địa phương, doanh nghiệp, trường học tiếp tục duy trì các hoạt động trực tuyến.
b) Các địa phương phối hợp chặt chẽ với các doanh nghiệp viễn thông, điện lực xóa bỏ vùng lõm sóng.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert _codes(tasks["1.a"]["lead"]) == ["ALL_MINISTRIES_PROVINCES", "ALL_ENTERPRISES", "SCHOOLS"]
    assert _codes(tasks["1.b"]["lead"]) == ["ALL_PROVINCES"]
    assert _codes(tasks["1.b"]["coordinating"]) == ["TELECOM_ENTERPRISES", "POWER_ENTERPRISES"]


def test_a_viewpoint_in_a_list_of_tasks_is_not_a_task_but_keeps_its_number():
    body = """V. KIẾN NGHỊ, ĐỀ XUẤT
Đề nghị chỉ đạo các bộ, ngành, địa phương triển khai các nhiệm vụ sau:
- Một là, quán triệt quan điểm xuyên suốt về chuyển đổi số.
- Hai là, khẩn trương xây dựng kế hoạch, hoàn thành ngay trong tháng 02/2024.
"""
    tasks = _by_clause(extract(_notice(body)))
    assert set(tasks) == {"V.2"}
    assert tasks["V.2"]["text"] == "khẩn trương xây dựng kế hoạch, hoàn thành ngay trong tháng 02/2024."
    assert _codes(tasks["V.2"]["lead"]) == ["ALL_MINISTRIES_PROVINCES"]


def test_a_numbered_item_that_gives_its_own_doer_dated_work_is_a_task_without_a_heading():
    text = _notice(
        "Ủy ban thống nhất chỉ đạo:\n"
        "1. Bộ Thông tin và Truyền thông đã hoàn thành Nền tảng địa chỉ số quốc gia.\n"
        "2. Ủy ban nhân dân thành phố Hà Nội xây dựng bản đồ số du lịch, hoàn thành trước ngày 31 tháng 12 năm 2024.\n"
        "3. Bộ Y tế khẩn trương hoàn thiện Đề án hồ sơ sức khỏe điện tử.\n"
    )
    tasks = extract(text)["tasks"]
    assert [(t["clause"], [a["code"] for a in t["lead"]]) for t in tasks] == [("2", ["P01"]), ("3", ["BYT"])]
    assert tasks[0]["deadline"]["date"] == "2024-12-31"
