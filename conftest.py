"""The shared cast of the test suite: one person per role, and an outsider from another agency."""

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

from dxmonitor.accounts.models import Role
from dxmonitor.accounts.services import create_user
from dxmonitor.agencies.models import Agency
from dxmonitor.agencies.services import load_agencies

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The real registry, loaded once per test database; tests run in transactions on top of it.
    with django_db_blocker.unblock():
        load_agencies()


@pytest.fixture
def registry(db):
    """The agency registry; reloaded if a transactional test flushed it."""
    if not Agency.objects.filter(code="VN").exists():
        load_agencies()
    return Agency.objects


def _agency(code):
    return Agency.objects.get(code=code)


@pytest.fixture
def hanoi(registry):
    return _agency("P01")


@pytest.fixture
def hcmc(registry):
    return _agency("P79")


@pytest.fixture
def secretariat(registry):
    return create_user("thuky", PASSWORD, Role.SECRETARIAT, first_name="Thư ký")


@pytest.fixture
def leader(registry):
    return create_user("lanhdao", PASSWORD, Role.LEADER)


@pytest.fixture
def reporter(hanoi):
    return create_user("hanoi.baocao", PASSWORD, Role.REPORTER, hanoi)


@pytest.fixture
def approver(hanoi):
    return create_user("hanoi.duyet", PASSWORD, Role.APPROVER, hanoi)


@pytest.fixture
def outsider(hcmc):
    """A reporter of another agency: sees the registry, never Hà Nội's protected data."""
    return create_user("hcm.baocao", PASSWORD, Role.REPORTER, hcmc)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; the suite does not download a browser of its own."""
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    assert os.path.exists(chromium), "Install Debian's chromium (scripts/install-browser does)."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


# The README's first command, shared by the tests that drive it: one demo installation per test worker.


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dxmonitor(data_dir, *args, stdout=subprocess.PIPE):
    # The demo is the embedded default: SQLite in its own data directory, whatever the suite runs on.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    return subprocess.Popen(
        [sys.executable, "-m", "dxmonitor.cli", *args, "--data-dir", str(data_dir)],
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        text=True,
    )


def logins_from(output: str) -> dict[str, str]:
    block = output.split("demo logins:", 1)[1]
    return dict(re.findall(r"^  (\S+)\s+(demo-\S+)", block, re.M))


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo set up twice in one data directory, then served; yields (url, logins, outputs)."""
    data_dir = tmp_path_factory.mktemp("demo")
    outputs = []
    for _ in range(2):
        out, _ = _dxmonitor(data_dir, "demo", "--no-serve").communicate(timeout=300)
        outputs.append(out)
    port = _free_port()
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 (open for the server's whole life)
    server = _dxmonitor(data_dir, "serve", "--port", str(port), stdout=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url, logins_from(outputs[0]), outputs
    server.terminate()
    server.wait(timeout=10)
    log.close()


def demo_login(url, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(url + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(url + "/accounts/login/", body.encode(), headers={"Referer": url + "/"})
    return opener.open(request).read().decode()
