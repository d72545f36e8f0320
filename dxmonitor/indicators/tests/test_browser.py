"""A province reports a round in a real browser; its approver returns one value, then approves it."""

import json
import urllib.request

import pytest

COMMENT = "Số liệu theo báo cáo của các sở, ngành (kiểm thử)"
RETURN = "Mẫu số chưa khớp với số thủ tục đã công bố, đề nghị kiểm tra lại"


def _log_in(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def _fill(row, *, value="55", numerator="600", denominator="1000"):
    """Fill one indicator's inputs as an officer would, whatever it asks for; an explanation for jumps."""
    if row.locator("input[name$='-value']").count():
        row.locator("input[name$='-value']").fill(value)
    if row.locator("input[name$='-numerator']").count():
        row.locator("input[name$='-numerator']").fill(numerator)
        row.locator("input[name$='-denominator']").fill(denominator)
    if row.locator("select[name$='-done']").count():
        row.locator("select[name$='-done']").select_option("yes")
        row.locator("input[name$='-done_on']").fill("2026-08-14")
    row.locator("textarea[name$='-comment']").fill(COMMENT)


def _national(page, url, code, period) -> float | None:
    data = json.loads(page.request.get(f"{url}/indicators/{urllib.request.quote(code)}.json").text())
    return next((f["value"] for f in data["figures"] if f["period"] == period), None)


@pytest.mark.browser
def test_a_province_reports_one_value_is_rejected_one_returned_then_approved_and_the_figure_moves(
    demo, browser
):
    url, logins, _ = demo
    page = browser.new_page()
    _log_in(page, url, "hanoi.baocao", logins["hanoi.baocao"])
    page.get_by_role("link", name="Báo cáo định kỳ").click()
    page.locator("[data-testid^=report-]").first.click()
    form = page.get_by_test_id("round-form")
    rows = form.locator("tr[data-indicator]")
    codes = [rows.nth(i).get_attribute("data-indicator") for i in range(rows.count())]
    assert len(codes) >= 3
    value_rows = [
        c
        for c in codes
        if form.locator(f"tr[data-indicator='{c}'][data-unit='%'] input[name$='-value']").count()
    ]
    ratio_rows = [
        c for c in codes if form.locator(f"tr[data-indicator='{c}'] input[name$='-numerator']").count()
    ]
    rejected, returned = value_rows[0], ratio_rows[0]
    for code in codes:
        _fill(form.locator(f"tr[data-indicator='{code}']"), value="140" if code == rejected else "55")
    period = page.get_by_test_id("round-period").get_attribute("data-period")
    before = _national(page, url, returned, period)

    page.get_by_role("button", name="Lưu và gửi duyệt").click()
    error = page.get_by_test_id(f"error-{rejected}")
    assert "100%" in error.inner_text() and "không" in error.inner_text()
    assert page.get_by_test_id(f"state-{rejected}").inner_text() == "chưa nhập"
    for code in codes:
        if code != rejected:
            assert page.get_by_test_id(f"state-{code}").inner_text() == "Đã gửi", code
    # What was typed is still there to correct.
    assert page.locator(f"tr[data-indicator='{rejected}'] input[name$='-value']").input_value() == "140"
    page.locator(f"tr[data-indicator='{rejected}'] input[name$='-value']").fill("72,5")
    page.get_by_role("button", name="Lưu và gửi duyệt").click()
    assert page.get_by_test_id(f"state-{rejected}").inner_text() == "Đã gửi"
    form_url = page.url
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, url, "hanoi.duyet", logins["hanoi.duyet"])
    page.goto(form_url.split("/form/")[0] + "/review/")
    row = page.locator(f"tr[data-indicator='{returned}'][data-agency='P01']")
    row.get_by_label("Nội dung cần sửa").fill(RETURN)
    row.get_by_role("button", name="Trả lại").click()
    assert "Đã trả lại" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, url, "hanoi.baocao", logins["hanoi.baocao"])
    page.goto(form_url)
    assert page.get_by_test_id(f"state-{returned}").inner_text() == "Trả lại"
    assert RETURN in page.get_by_test_id(f"review-{returned}").inner_text()
    row = page.locator(f"tr[data-indicator='{returned}']")
    row.locator("input[name$='-numerator']").fill("850")
    row.locator("input[name$='-denominator']").fill("1000")
    page.get_by_role("button", name="Lưu và gửi duyệt").click()
    assert page.get_by_test_id(f"state-{returned}").inner_text() == "Đã gửi"
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, url, "hanoi.duyet", logins["hanoi.duyet"])
    page.goto(form_url.split("/form/")[0] + "/review/")
    page.locator(f"tr[data-indicator='{returned}'][data-agency='P01']").get_by_role(
        "button", name="Duyệt"
    ).click()
    assert "Đã duyệt" in page.locator(".messages").inner_text()
    after = _national(page, url, returned, period)
    assert after is not None and after != before, (before, after)
    page.goto(f"{url}/indicators/{returned}/")
    history = page.get_by_test_id("history").inner_text()
    assert RETURN in history
    page.close()
