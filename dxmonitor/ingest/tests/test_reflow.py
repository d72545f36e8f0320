from dxmonitor.ingest.reflow import reflow, split_footnotes
from dxmonitor.ingest.tests.builders import sample_text

# As text copied out of a PDF: a trailing space on every line, a blank line after it, a page number.
WRAPPED = " \n".join(
    [
        "THÔNG BÁO",
        "",
        "Kết luận Phiên họp của Ủy ban Quốc gia về chuyển đổi số",
        "",
        "4. Các nhiệm vụ, giải pháp trọng tâm thực hiện từ nay đến hết năm 2022 và",
        "",
        "thời gian tới:",
        "",
        "b) Bộ Thông tin và Truyền thông",
        "",
        "- Khẩn trương phối hợp với các bộ, cơ quan liên quan hoàn thiện hồ sơ dự",
        "",
        "án Luật giao dịch điện tử (sửa đổi) để trình Quốc hội cho ý kiến tại Kỳ họp thứ 4",
        "",
        "Quốc hội khóa XV.",
        "",
        "2",
        "",
        "- Hướng dẫn các bộ, ngành, địa phương triển khai Nghị định số",
        "",
        "42/2022/NĐ-CP của Chính phủ.",
        "",
    ]
)


def test_it_rejoins_lines_wrapped_with_blank_lines_between():
    lines = reflow(WRAPPED).splitlines()
    assert lines == [
        "THÔNG BÁO",
        "Kết luận Phiên họp của Ủy ban Quốc gia về chuyển đổi số",
        "4. Các nhiệm vụ, giải pháp trọng tâm thực hiện từ nay đến hết năm 2022 và thời gian tới:",
        "b) Bộ Thông tin và Truyền thông",
        "- Khẩn trương phối hợp với các bộ, cơ quan liên quan hoàn thiện hồ sơ dự án Luật giao dịch điện tử"
        " (sửa đổi) để trình Quốc hội cho ý kiến tại Kỳ họp thứ 4 Quốc hội khóa XV.",
        "- Hướng dẫn các bộ, ngành, địa phương triển khai Nghị định số 42/2022/NĐ-CP của Chính phủ.",
    ]


def test_it_drops_page_numbers_and_repeated_page_headers():
    page = "VĂN PHÒNG CHÍNH PHỦ\n" + "Một đoạn văn bản dài của thông báo kết luận phiên họp.\n"
    text = "\n".join(f"{page}\n- {n} -\n" for n in range(1, 5))
    lines = reflow(text).splitlines()
    assert "VĂN PHÒNG CHÍNH PHỦ" not in lines
    assert not any(line.strip("- ").isdigit() for line in lines)


def test_it_keeps_list_items_apart_even_without_blank_lines():
    text = "a) Bộ Công an\n- Đẩy nhanh tiến độ\n- Hoàn thành trong tháng 5\nb) Bộ Y tế chủ trì"
    assert reflow(text).splitlines() == [
        "a) Bộ Công an",
        "- Đẩy nhanh tiến độ",
        "- Hoàn thành trong tháng 5",
        "b) Bộ Y tế chủ trì",
    ]


def test_a_dash_before_a_lower_case_word_continues_the_line():
    text = "Phát triển nhanh và bền vững kinh tế\n- xã hội của đất nước trong giai đoạn mới."
    assert reflow(text).splitlines() == [
        "Phát triển nhanh và bền vững kinh tế - xã hội của đất nước trong giai đoạn mới."
    ]


def test_an_inline_enumeration_wrapped_at_a_line_start_stays_in_its_paragraph():
    text = (
        "Tinh thần gồm: (i) Đẩy mạnh hoàn thiện thể chế; (ii) Đẩy mạnh phát triển hạ tầng số; (iii) Đẩy\n"
        "mạnh đổi mới sáng tạo; (iv) Đẩy mạnh phát triển nhân lực số;\n"
        "(v) Đẩy mạnh an toàn thông tin mạng."
    )
    assert len(reflow(text).splitlines()) == 1


def test_a_wrap_after_a_hyphen_between_years_joins_without_a_space():
    text = "Chiến lược phát triển Chính phủ số giai đoạn 2021-\n2025, định hướng đến năm 2030."
    assert "2021-2025" in reflow(text)


def test_table_rows_are_kept_as_they_are():
    text = "a) Các chỉ tiêu tổng hợp:\nTT\tChỉ tiêu\tMục tiêu\n1\tTỷ lệ\t100%\n"
    assert reflow(text).splitlines() == [
        "a) Các chỉ tiêu tổng hợp:",
        "TT\tChỉ tiêu\tMục tiêu",
        "1\tTỷ lệ\t100%",
    ]


def test_reflow_is_idempotent_on_the_samples():
    for sample in ("000", "001", "002", "003", "004"):
        once = reflow(sample_text(sample))
        assert reflow(once) == once


def test_footnotes_are_taken_out_of_the_body_with_their_marks():
    paragraphs = [
        "2. Xây dựng môi trường pháp lý chưa kịp thời1. Tỷ lệ hồ sơ xử lý trực tuyến chưa cao2; còn thấp.",
        "1 Như: Nghị định sửa đổi Nghị định số 73/2019/NĐ-CP.",
        "2 Bộ, ngành đạt 50,1%; địa phương đạt 47,4%.",
        "3. Bài học kinh nghiệm",
    ]
    body, notes = split_footnotes(paragraphs)
    assert notes == {
        "1": "Như: Nghị định sửa đổi Nghị định số 73/2019/NĐ-CP.",
        "2": "Bộ, ngành đạt 50,1%; địa phương đạt 47,4%.",
    }
    assert body == [
        "2. Xây dựng môi trường pháp lý chưa kịp thời. Tỷ lệ hồ sơ xử lý trực tuyến chưa cao; còn thấp.",
        "3. Bài học kinh nghiệm",
    ]


def test_superscript_footnotes_are_read_and_table_marks_are_left_for_the_table():
    body, notes = split_footnotes(["1\tTỷ trọng\t7,5% ¹", "¹ Số liệu theo dự báo của Bộ Công Thương."])
    assert notes == {"1": "Số liệu theo dự báo của Bộ Công Thương."}
    assert body == ["1\tTỷ trọng\t7,5% ¹"]
