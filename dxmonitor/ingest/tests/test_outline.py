from dxmonitor.ingest import outline
from dxmonitor.ingest.outline import ROLE_ASSIGN, ROLE_REPORT, ROLE_VIEW, parse

NOTICE = """THÔNG BÁO
Ngày 10 tháng 3 năm 2021, Thủ tướng Chính phủ kết luận như sau:
A. KẾT QUẢ TRIỂN KHAI
I. Kết quả đạt được
1. Hạ tầng số tiếp tục được phát triển.
B. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM
I. Quan điểm phát triển kinh tế số
1. Phát triển kinh tế số là đòi hỏi khách quan.
II. Nhiệm vụ, giải pháp trọng tâm thời gian tới
Yêu cầu các bộ, ngành, địa phương tập trung triển khai các nhiệm vụ sau:
1. Bộ Thông tin và Truyền thông
a) Triển khai đồng bộ các giải pháp.
b) Khẩn trương: (i) hoàn thiện; (ii) trình ban hành.
- Phối hợp với Bộ Công an.
- Báo cáo kết quả.
Đây là đoạn tiếp theo của gạch đầu dòng thứ hai.
- Gạch đầu dòng thứ ba.
2. Bộ Y tế chủ trì, phối hợp với các Bộ, ngành.
2.1. Mục con có số chấm.
Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.
Nơi nhận:
- TTgCP;
"""


def _by_path(root):
    return {item.path: item for item in root.walk() if item.kind != "root"}


def test_markers_take_the_level_at_which_they_first_appear():
    items = _by_path(parse(NOTICE.splitlines()))
    assert "B.II.1.a" in items and "B.II.1.b.1" in items and "B.II.1.b.2" in items
    assert items["B.II.1.b"].kind == "letter"
    assert items["B.II.1"].head == "Bộ Thông tin và Truyền thông"


def test_a_dotted_number_replaces_its_parent_number_in_the_clause():
    items = _by_path(parse(NOTICE.splitlines()))
    assert "B.II.2.1" in items and items["B.II.2.1"].parent.path == "B.II.2"


def test_a_paragraph_between_two_bullets_belongs_to_the_first():
    items = _by_path(parse(NOTICE.splitlines()))
    assert items["B.II.1.b.2"].body == ["Đây là đoạn tiếp theo của gạch đầu dòng thứ hai."]
    assert items["B.II.1.b.3"].head == "Gạch đầu dòng thứ ba."


def test_the_signature_block_ends_the_outline():
    items = _by_path(parse(NOTICE.splitlines()))
    assert not any("TTgCP" in item.head for item in items.values())


def test_parts_are_read_as_reporting_viewpoints_or_assigning_work():
    items = _by_path(parse(NOTICE.splitlines()))
    assert items["A"].role == ROLE_REPORT and items["A.I.1"].role == ROLE_REPORT
    assert items["B.I"].role == ROLE_VIEW and items["B.I.1"].role == ROLE_VIEW
    assert items["B.II"].role == ROLE_ASSIGN and items["B.II.1.b.2"].role == ROLE_ASSIGN


def test_a_roman_i_after_h_continues_a_list_of_capital_letters():
    lines = ["A. Một", "B. Hai", "C. Ba", "D. Bốn", "E. Năm", "G. Sáu", "H. Bảy", "I. Tám"]
    root = parse(lines)
    assert [child.label for child in root.children] == ["A", "B", "C", "D", "E", "G", "H", "I"]


def test_ordinal_items_and_paren_items_are_list_markers():
    lines = [
        "Một là, vấn đề dữ liệu:",
        "- Thiếu dữ liệu.",
        "Hai là, nhân lực:",
        "(i) Đào tạo",
        "(ii) Tuyển dụng",
    ]
    root = parse(lines)
    assert [child.label for child in root.children] == ["Một", "Hai"]
    assert [item.label for item in root.children[1].children] == ["i", "ii"]


def test_a_paragraph_after_the_last_item_closes_the_enclosing_item():
    lines = ["4. Các nhiệm vụ sau:", "a) Bộ Y tế chủ trì.", "b) Bộ Công an chủ trì.", "Các bộ cần báo cáo."]
    root = parse(lines)
    four = root.children[0]
    assert four.trailing == ["Các bộ cần báo cáo."]
    assert four.children[1].body == []


def test_role_cues_are_read_from_a_heading():
    assert outline.role_of_text("Bài học kinh nghiệm", anywhere=False) == ROLE_VIEW
    assert outline.role_of_text("Về nhiệm vụ trọng tâm trong quý II", anywhere=False) == ROLE_ASSIGN
    assert outline.role_of_text("Bên cạnh những kết quả đạt được, còn tồn tại", anywhere=False) == ROLE_REPORT
    assert outline.role_of_text("Để phát triển, Thủ tướng yêu cầu các bộ", anywhere=True) == ROLE_ASSIGN
