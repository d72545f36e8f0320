import pytest

from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.reading import read_document
from dxmonitor.ingest.tables import parse_table
from dxmonitor.ingest.tests.builders import make_docx

HEAD = "Hà Nội, ngày 15 tháng 11 năm 2024\nKẾ HOẠCH\nTriển khai chuyển đổi số năm 2025\nPhụ lục. DANH MỤC NHIỆM VỤ\n"
ROWS = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"],
    ["I", "Hoàn thiện thể chế", "", "", "", ""],
    [
        "1",
        "Xây dựng Nghị định về dữ liệu",
        "Bộ Công an",
        "Bộ Tư pháp, Bộ Thông tin và Truyền thông",
        "Nghị định",
        "Quý II/2025",
    ],
    [
        "2",
        "Xây dựng nền tảng số dùng chung",
        "Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ",
        "Các bộ, ngành, địa phương",
        "Nền tảng",
        "6/2025",
    ],
    ["II", "Phát triển hạ tầng số", "", "", "", ""],
    ["3", "Mở rộng mạng băng rộng", "Bộ Thông tin và Truyền thông", "", "Báo cáo", "Thường xuyên"],
    ["4", "Báo cáo tình hình thực hiện", "Văn phòng Chính phủ", "", "Báo cáo", "Hằng năm"],
    ["5", "Tổng kết kế hoạch", "Bộ Kế hoạch và Đầu tư", "", "Báo cáo", "2025"],
]


def _tsv(rows):
    return "\n".join("\t".join(row) for row in rows)


def _markdown(rows):
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def _summary(result):
    return [
        (
            t["clause"],
            t["text"],
            [a["code"] for a in t["lead"]],
            [a["code"] for a in t["coordinating"]],
            (t["deadline"] or {}).get("date"),
            t.get("product"),
            t["group"],
        )
        for t in result["tasks"]
    ]


EXPECTED = [
    (
        "1",
        "Xây dựng Nghị định về dữ liệu",
        ["BCA"],
        ["BTP", "BTTTT"],
        "2025-06-30",
        "Nghị định",
        "Hoàn thiện thể chế",
    ),
    (
        "2",
        "Xây dựng nền tảng số dùng chung",
        ["BTTTT", "BKHCN"],
        ["ALL_MINISTRIES_PROVINCES"],
        "2025-06-30",
        "Nền tảng",
        "Hoàn thiện thể chế",
    ),
    ("3", "Mở rộng mạng băng rộng", ["BTTTT"], [], None, "Báo cáo", "Phát triển hạ tầng số"),
    ("4", "Báo cáo tình hình thực hiện", ["VPCP"], [], None, "Báo cáo", "Phát triển hạ tầng số"),
    ("5", "Tổng kết kế hoạch", ["BKHDT"], [], "2025-12-31", "Báo cáo", "Phát triển hạ tầng số"),
]


def test_a_tab_separated_task_table_gives_one_task_per_numbered_row():
    result = extract(HEAD + _tsv(ROWS) + "\n")
    assert result["document"]["kind"] == "plan"
    assert _summary(result) == EXPECTED
    yearly = result["tasks"][3]["deadline"]
    assert yearly == {"date": None, "text": "Hằng năm", "recurrence": "yearly"}
    assert result["tasks"][0]["deadline"]["text"] == "Quý II/2025"


def test_markdown_and_docx_tables_are_read_like_tab_separated_ones():
    from_markdown = extract(HEAD + _markdown(ROWS) + "\n")
    from_docx = extract(read_document(make_docx(HEAD + _tsv(ROWS) + "\n"), "plan.docx"))
    assert _summary(from_markdown) == EXPECTED
    assert _summary(from_docx) == EXPECTED


def test_a_table_broken_over_pages_is_put_back_together():
    lines = [
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Kết quả"],
        ["I", "Các nhiệm vụ đã hoàn thành", "", ""],
        ["1", "Dịch vụ công thiết yếu", "Bộ Công an, Văn phòng Chính phủ, Bộ Giáo", "21/25 dịch vụ"],
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Kết quả"],
        ["", "", "dục và Đào tạo, Bảo hiểm xã hội Việt Nam", ""],
        ["2", "Tài khoản định danh điện tử", "Bộ Công an", "Đã cấp 20 triệu tài khoản"],
    ]
    table = parse_table([_tsv([row]) for row in lines])
    assert table.kind == "status"
    assert [row.number for row in table.rows] == ["1", "2"]
    assert (
        table.rows[0].cells[2]
        == "Bộ Công an, Văn phòng Chính phủ, Bộ Giáo dục và Đào tạo, Bảo hiểm xã hội Việt Nam"
    )
    assert table.rows[0].group == "Các nhiệm vụ đã hoàn thành"


def test_a_status_table_gives_tasks_whose_result_is_their_status_not_a_deadline():
    text = (
        "Hà Nội, ngày 25 tháng 02 năm 2023\nBÁO CÁO TÓM TẮT\nI. KẾT QUẢ\nb) Kết quả triển khai Đề án 06:\n"
        + _tsv(
            [
                ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Kết quả"],
                ["1", "Hành lang pháp lý", "Bộ Công an, Bộ Tài chính", "Hoàn thành trong Quý I/2023"],
            ]
        )
        + "\n"
    )
    task = extract(text)["tasks"][0]
    assert task["clause"] == "I.b.1"
    assert task["status"] == "Hoàn thành trong Quý I/2023"
    assert task["deadline"] is None
    assert [a["code"] for a in task["lead"]] == ["BCA", "BTC"]


@pytest.mark.parametrize(
    "header",
    [["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"], ["TT", "Nội dung", "Chủ trì", "Tiến độ"]],
)
def test_other_header_wordings_are_understood(header):
    table = parse_table([_tsv([header]), _tsv([["1", "Việc", "Bộ Y tế", "2025"]])])
    assert table.kind == "tasks"
    assert set(table.columns) == {"tt", "name", "lead", "deadline"}
