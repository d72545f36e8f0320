"""A task followed to its end in a real browser, against the demo installation."""

import pytest

NOTICE = """THÔNG BÁO
Kết luận Phiên họp theo dõi nhiệm vụ của Ủy ban Quốc gia về chuyển đổi số

Ngày 10 tháng 11 năm 2026, tại trụ sở Chính phủ, Thủ tướng Chính phủ đã chủ trì Phiên họp.

Ủy ban Quốc gia về chuyển đổi số thống nhất chỉ đạo:

1. Ủy ban nhân dân thành phố Hà Nội xây dựng bản đồ số du lịch của thành phố, hoàn thành trước ngày 31 tháng 12 năm 2027.
"""


def _log_in(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def _scorecard(page, url) -> tuple[int, int]:
    page.goto(url + "/scorecard/?agency=P01")
    on_time = int(page.get_by_test_id("sc-completed_on_time").inner_text())
    in_progress = int(page.get_by_test_id("sc-in_progress").inner_text())
    return on_time, in_progress


@pytest.mark.browser
def test_a_reporter_reports_done_with_evidence_the_secretariat_confirms_and_the_scorecard_moves(
    demo, browser, tmp_path
):
    url, logins, _ = demo
    notice = tmp_path / "thong-bao-ban-do-so.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    evidence = tmp_path / "bien-ban-nghiem-thu.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% bien ban nghiem thu\n" + b"0" * 2000)
    page = browser.new_page()

    _log_in(page, url, "thuky", logins["thuky"])
    page.goto(url + "/ingest/")
    page.get_by_label("Tệp").set_input_files(str(notice))
    page.get_by_role("button", name="Đọc", exact=True).click()
    page.get_by_role("button", name="Chấp nhận tất cả mục chờ rà soát").click()
    page.get_by_role("button", name="Công bố các mục đã chấp nhận").click()
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, url, "hanoi.baocao", logins["hanoi.baocao"])
    before = _scorecard(page, url)
    page.get_by_role("link", name="Nhiệm vụ").first.click()
    page.get_by_test_id("task-filters").get_by_label("Nội dung").fill("bản đồ số du lịch")
    page.get_by_test_id("task-filters").get_by_role("button", name="Xem").click()
    page.get_by_role("link", name="bản đồ số du lịch").first.click()
    assert page.get_by_test_id("task-status").inner_text() == "Đang thực hiện trong hạn"
    page.get_by_label("Kết quả thực hiện").fill("Đã xây dựng và đưa vào vận hành bản đồ số du lịch.")
    page.get_by_label("Đã hoàn thành (cơ quan chủ trì): chờ Thư ký Ủy ban xác nhận").check()
    page.get_by_label("Sản phẩm đã hoàn thành").fill("Bản đồ số du lịch Hà Nội")
    page.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã gửi báo cáo tiến độ." in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="bien-ban-nghiem-thu.pdf").is_visible()
    assert "Chờ xác nhận" in page.get_by_test_id("review").inner_text()
    task_url = page.url
    assert _scorecard(page, url) == before  # not complete until the secretariat confirms
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, url, "thuky", logins["thuky"])
    page.goto(task_url)
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    assert page.get_by_test_id("task-status").inner_text() == "Hoàn thành đúng hạn"
    after = _scorecard(page, url)
    assert after == (before[0] + 1, before[1] - 1)
    page.close()
