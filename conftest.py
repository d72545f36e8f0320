"""The shared cast of the test suite: one person per role, and an outsider from another agency."""

import os

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
