"""The README's first command, end to end: the demo set up twice, served, and every printed login used."""

import re
import urllib.request

import pytest

from conftest import demo_login, logins_from


def test_running_the_demo_twice_duplicates_nothing_and_prints_the_same_logins(demo):
    _, logins, outputs = demo
    assert set(logins) == {"thuky", "lanhdao", "hanoi.baocao", "hanoi.duyet", "bkhcn.baocao"}
    assert logins_from(outputs[1]) == logins
    assert "sample documents: 5 (5 mới / new)" in outputs[0]
    assert "sample documents: 5 (0 mới / new)" in outputs[1]
    first, second = (re.search(r"agencies: (\d+)", o).group(1) for o in outputs)
    assert first == second and int(first) > 3400


def test_the_demo_serves_the_vietnamese_home_page(demo):
    url, _, _ = demo
    page = urllib.request.urlopen(url + "/").read().decode()
    assert '<html lang="vi">' in page
    assert "Chuyển đổi số: ai làm gì, hạn nào, đã đến đâu" in page


def test_every_printed_demo_login_works(demo):
    url, logins, _ = demo
    for username, password in logins.items():
        home = demo_login(url, username, password)
        assert "Đăng xuất" in home, username
        assert "Văn bản" in home, username


@pytest.mark.browser
def test_a_person_logs_in_through_the_browser_and_finds_a_merged_province(demo, browser):
    url, logins, _ = demo
    page = browser.new_page()
    page.goto(url + "/")
    page.get_by_role("link", name="Đăng nhập").first.click()
    page.get_by_label("Tên đăng nhập").fill("hanoi.baocao")
    page.get_by_label("Mật khẩu").fill(logins["hanoi.baocao"])
    page.get_by_role("button", name="Đăng nhập").click()
    assert (
        "Thành phố Hà Nội" in page.get_by_test_id("who").inner_text()
        or "Hà Nội" in page.get_by_test_id("who").inner_text()
    )
    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    page.get_by_label("Hiệu lực ngày").fill("2024-04-24")
    page.get_by_label("Loại").select_option("province")
    page.get_by_role("button", name="Xem").click()
    assert "63 cơ quan, đơn vị có hiệu lực ngày 24/04/2024" in page.get_by_test_id("count").inner_text()
    page.get_by_role("link", name="Tỉnh Hà Giang").click()
    assert "Tỉnh Tuyên Quang" in page.get_by_test_id("work-went-to").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()
    assert page.get_by_role("link", name="Đăng nhập").first.is_visible()
    page.close()
