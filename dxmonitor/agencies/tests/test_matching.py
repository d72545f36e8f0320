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


def _found(text, on=datetime.date(2022, 8, 8)):
    from dxmonitor.agencies.matching import find_agencies
    from dxmonitor.agencies.reference import offline_matcher

    return [(m.candidate.code, m.text) for m in find_agencies(offline_matcher(), text, on)]


def test_find_agencies_takes_the_longest_name_in_a_sentence():
    assert _found("Bộ Công an chủ trì, phối hợp với Văn phòng Chính phủ và các bộ, ngành, địa phương") == [
        ("BCA", "Bộ Công an"),
        ("VPCP", "Văn phòng Chính phủ"),
        ("ALL_MINISTRIES_PROVINCES", "các bộ, ngành, địa phương"),
    ]


def test_find_agencies_reads_the_items_of_a_ministry_list_with_bo_before_each():
    assert [code for code, _ in _found("phát biểu của lãnh đạo các Bộ: Công an, Tư pháp và Y tế;")] == [
        "BCA",
        "BTP",
        "BYT",
    ]


def test_a_collective_before_a_colon_introduces_a_list_and_is_not_itself_named():
    found = _found(
        "Bộ trưởng, Thủ trưởng các bộ, cơ quan: Thông tin và Truyền thông, Giáo giục và Đào tạo, Y tế"
    )
    assert [code for code, _ in found] == ["BTTTT", "BGDDT", "BYT"]


def test_find_agencies_reads_provinces_listed_after_a_collective_wording():
    found = _found(
        "Yêu cầu 07 Ủy ban nhân dân các tỉnh, thành phố An Giang, Cần Thơ và Thành phố Hồ Chí Minh khẩn trương"
    )
    assert [code for code, _ in found] == ["P89-63", "P92-63", "P79-63"]


def test_collectives_sharing_a_head_are_each_named():
    assert [code for code, _ in _found("phối hợp với các doanh nghiệp viễn thông, điện lực xóa bỏ")] == [
        "TELECOM_ENTERPRISES",
        "POWER_ENTERPRISES",
    ]
    assert [code for code, _ in _found("Các bộ, ngành, địa phương, doanh nghiệp, trường học tiếp tục")] == [
        "ALL_MINISTRIES_PROVINCES",
        "ALL_ENTERPRISES",
        "SCHOOLS",
    ]


def test_ordinary_words_are_not_read_as_agencies():
    assert _found("vì hòa bình, của địa phương mình và doanh nghiệp") == []
    assert [code for code, _ in _found("tỉnh Hòa Bình")] == ["P17-63"]


def test_abbreviations_with_a_full_stop_and_names_without_separators():
    assert [code for code, _ in _found("TP. Hải phòng, Bộ TT&TT")] == ["P31-63", "BTTTT"]
    assert [code for code, _ in _found("Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ")] == [
        "BTTTT",
        "BKHCN",
    ]
