"""The README's first command, end to end: the demo set up twice, served, and every printed login used."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dxmonitor(data_dir, *args, **kwargs):
    # The demo is the embedded default: SQLite in its own data directory, whatever the suite runs on.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    return subprocess.Popen(
        [sys.executable, "-m", "dxmonitor.cli", *args, "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def _logins(output: str) -> dict[str, str]:
    block = output.split("demo logins:", 1)[1]
    return dict(re.findall(r"^  (\S+)\s+(demo-\S+)", block, re.M))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo set up twice in one data directory, then served; yields (url, logins, outputs)."""
    data_dir = tmp_path_factory.mktemp("demo")
    outputs = []
    for _ in range(2):
        out, _ = _dxmonitor(data_dir, "demo", "--no-serve").communicate(timeout=300)
        outputs.append(out)
    port = _free_port()
    server = _dxmonitor(data_dir, "serve", "--port", str(port))
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url, _logins(outputs[0]), outputs
    server.terminate()
    server.wait(timeout=10)


def _login(url, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(url + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(url + "/accounts/login/", body.encode(), headers={"Referer": url + "/"})
    return opener.open(request).read().decode()


def test_running_the_demo_twice_duplicates_nothing_and_prints_the_same_logins(demo):
    _, logins, outputs = demo
    assert set(logins) == {"thuky", "lanhdao", "hanoi.baocao", "hanoi.duyet", "bkhcn.baocao"}
    assert _logins(outputs[1]) == logins
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
        home = _login(url, username, password)
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
