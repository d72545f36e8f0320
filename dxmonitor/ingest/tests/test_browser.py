"""The secretariat's first job after a session, in a real browser against the demo installation."""

import pytest

NOTICE = """THÔNG BÁO
Kết luận Phiên họp thử nghiệm trình duyệt của Ủy ban Quốc gia về chuyển đổi số

Ngày 20 tháng 3 năm 2025, tại trụ sở Chính phủ, Thủ tướng Chính phủ đã chủ trì Phiên họp.

Ủy ban Quốc gia về chuyển đổi số thống nhất chỉ đạo:

1. Nhiệm vụ trọng tâm
a) Ủy ban nhân dân thành phố Hà Nội hoàn thành kết nối kho dữ liệu dùng chung của thành phố với Nền tảng tích hợp, chia sẻ dữ liệu quốc gia trước ngày 30 tháng 9 năm 2025.
b) Bộ Khoa học và Công nghệ chủ trì, phối hợp với Bộ Công an hướng dẫn đánh giá mức độ trưởng thành số trong Quý III năm 2025.
"""


def _log_in(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.browser
def test_the_secretariat_corrects_a_deadline_and_the_lead_agency_sees_it(demo, browser, tmp_path):
    url, logins, _ = demo
    notice = tmp_path / "thong-bao-thu-nghiem.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    page = browser.new_page()
    _log_in(page, url, "thuky", logins["thuky"])
    page.get_by_role("link", name="Đọc văn bản").click()
    page.get_by_label("Tệp").set_input_files(str(notice))
    page.get_by_role("button", name="Đọc", exact=True).click()

    draft = page.locator("article.draft", has_text="kho dữ liệu dùng chung")
    assert draft.get_by_label("Thời hạn", exact=True).input_value() == "2025-09-30"
    assert "Thành phố Hà Nội" in draft.get_by_label("Chủ trì (tên cách nhau bởi ;)").input_value()
    draft.get_by_label("Thời hạn", exact=True).fill("2025-10-31")
    draft.get_by_label("Thời hạn theo văn bản").fill("trước ngày 31 tháng 10 năm 2025")
    draft.get_by_role("button", name="Lưu và chấp nhận").click()
    assert "Đã chấp nhận" in page.locator("article.draft", has_text="kho dữ liệu dùng chung").inner_text()
    page.get_by_role("button", name="Công bố các mục đã chấp nhận").click()
    assert "Đã công bố 1 nhiệm vụ" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, url, "hanoi.baocao", logins["hanoi.baocao"])
    page.get_by_role("link", name="Nhiệm vụ").first.click()
    row = page.locator("tr", has_text="kho dữ liệu dùng chung")
    assert "31/10/2025" in row.locator("td.deadline").inner_text()
    page.close()
