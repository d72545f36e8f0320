"""The catalogue: finding an indicator by the many ways notices word it."""

from dxmonitor.indicators.services import find_indicator, group_from_text, indicator_key
from dxmonitor.indicators.tests.factories import indicator


def test_from_15_and_from_15_and_over_are_one_indicator(registry):
    accounts = indicator(name="Tỷ lệ người dân từ 15 tuổi có tài khoản thanh toán")
    assert find_indicator("Tỷ lệ người dân từ 15 tuổi trở lên có tài khoản thanh toán") == accounts
    assert find_indicator("tỷ lệ  NGƯỜI DÂN từ 15 tuổi có tài khoản thanh toán") == accounts


def test_a_longer_name_is_another_indicator(registry):
    indicator(name="Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng")
    assert (
        find_indicator("Tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng có sử dụng giải pháp an toàn")
        is None
    )


def test_the_key_ignores_marks_and_case():
    assert indicator_key("Tỷ lệ Dân số từ 18 tuổi trở lên") == "ty le dan so tu 18 tuoi"


def test_groups_are_read_from_headings():
    assert group_from_text("II. Chính phủ số") == "digital_government"
    assert group_from_text("VI. Đề án 06") == "project_06"
    assert group_from_text("Khác") == "other"
