import datetime
import unicodedata

from dxmonitor.agencies.matching import Candidate, Matcher, normalize, province_aliases


def test_it_matches_old_and_new_tone_placement():
    assert normalize("Uỷ ban nhân dân tỉnh Hoà Bình") == normalize("Ủy ban nhân dân tỉnh Hòa Bình")


def test_it_reads_ampersand_as_va_and_ignores_punctuation_and_case():
    assert normalize("Bộ TT&TT") == normalize("bộ tt và tt")
    assert normalize("TP. Hồ Chí Minh") == normalize("TP Hồ Chí Minh")


def test_it_treats_decomposed_unicode_like_composed():
    assert normalize(unicodedata.normalize("NFD", "Bộ Tài chính")) == normalize("Bộ Tài chính")


def test_province_forms_cover_people_committee_and_short_names():
    forms = {normalize(f) for f in province_aliases("Tỉnh Bắc Ninh", "Bắc Ninh")}
    assert normalize("UBND tỉnh Bắc Ninh") in forms
    assert normalize("Ủy ban nhân dân tỉnh Bắc Ninh") in forms
    assert normalize("Bắc Ninh") in forms
    city = {normalize(f) for f in province_aliases("Thành phố Hồ Chí Minh", "Hồ Chí Minh")}
    assert normalize("TP. Hồ Chí Minh") in city


def test_lookup_prefers_the_agency_valid_on_the_date():
    old = Candidate("P08-63", "Tỉnh Tuyên Quang", "province", None, datetime.date(2025, 6, 30))
    new = Candidate("P08", "Tỉnh Tuyên Quang", "province", datetime.date(2025, 7, 1), None)
    matcher = Matcher()
    matcher.add(old, ["Tỉnh Tuyên Quang", "Tuyên Quang"])
    matcher.add(new, ["Tỉnh Tuyên Quang", "Tuyên Quang"])
    assert matcher.lookup("tuyên quang", datetime.date(2024, 4, 24)) == [old]
    assert matcher.lookup("Tuyên Quang", datetime.date(2025, 8, 1)) == [new]
    assert matcher.lookup("Hà Giang", datetime.date(2024, 1, 1)) == []


def test_a_name_used_after_its_agency_ended_still_means_it():
    ministry = Candidate(
        "BTTTT", "Bộ Thông tin và Truyền thông", "ministry", None, datetime.date(2025, 2, 28)
    )
    matcher = Matcher()
    matcher.add(ministry, ["Bộ Thông tin và Truyền thông"])
    assert matcher.lookup("Bộ Thông tin và Truyền thông", datetime.date(2026, 1, 1)) == [ministry]


def test_the_offline_matcher_reads_the_shipped_registry_without_a_database():
    from dxmonitor.agencies.reference import offline_matcher

    found = offline_matcher().lookup("UBND tỉnh Hà Giang", datetime.date(2024, 4, 24))
    assert [c.code for c in found] == ["P02-63"]
    assert [c.code for c in offline_matcher().lookup("Bộ TT&TT", datetime.date(2022, 8, 8))] == ["BTTTT"]
