import datetime

from vietnamadminunits import convert_address

from dxmonitor.agencies.matching import normalize
from dxmonitor.agencies.models import Agency, AgencyKind, Succession
from dxmonitor.agencies.reference import province_rows
from dxmonitor.agencies.services import (
    agencies_on,
    find_agencies,
    load_agencies,
    predecessors,
    successors,
)

BEFORE = datetime.date(2024, 4, 24)
AFTER = datetime.date(2025, 8, 1)


def test_there_are_63_provinces_before_the_merge_and_34_after(registry):
    assert agencies_on(BEFORE, AgencyKind.PROVINCE).count() == 63
    assert agencies_on(AFTER, AgencyKind.PROVINCE).count() == 34
    assert agencies_on(datetime.date(2025, 6, 30), AgencyKind.PROVINCE).count() == 63
    assert agencies_on(datetime.date(2025, 7, 1), AgencyKind.PROVINCE).count() == 34


def test_every_old_province_goes_where_vietnamadminunits_converts_it(registry):
    legacy, _ = province_rows()
    assert len(legacy) == 63
    # The package's legacy table is the map of 30 June 2025 (Huế already a city).
    eve = datetime.date(2025, 6, 30)
    for row in legacy:
        expected = convert_address(row["province"]).province
        old = [a for a in find_agencies(row["province"]) if a.is_valid_on(eve)]
        assert len(old) == 1, row["province"]
        went_to = successors(old[0], AFTER)
        assert [a.name for a in went_to] == [expected], row["province"]


def test_a_province_that_kept_its_borders_is_its_own_successor(registry):
    hanoi = Agency.objects.get(code="P01")
    assert successors(hanoi, AFTER) == [hanoi]
    assert hanoi.is_valid_on(BEFORE) and hanoi.is_valid_on(AFTER)


def test_merged_provinces_are_seen_under_the_old_map_through_predecessors(registry):
    tuyen_quang = Agency.objects.get(code="P08")
    names = sorted(a.name for a in predecessors(tuyen_quang, BEFORE))
    assert names == ["Tỉnh Hà Giang", "Tỉnh Tuyên Quang"]


def test_todays_3321_communes_sit_under_todays_provinces(registry):
    communes = agencies_on(AFTER, AgencyKind.COMMUNE)
    assert communes.count() == 3321
    provinces = set(agencies_on(AFTER, AgencyKind.PROVINCE).values_list("id", flat=True))
    assert set(communes.values_list("parent_id", flat=True)) <= provinces
    assert agencies_on(BEFORE, AgencyKind.COMMUNE).count() == 0


def test_the_ministry_of_information_passed_to_science_and_technology_on_1_march_2025(registry):
    mic = Agency.objects.get(code="BTTTT")
    assert mic.is_valid_on(datetime.date(2025, 2, 28))
    assert not mic.is_valid_on(datetime.date(2025, 3, 1))
    main = mic.successions.order_by("id").first()
    assert main.successor.code == "BKHCN"
    assert main.effective_date == datetime.date(2025, 3, 1)
    assert "BKHCN" in [a.code for a in successors(mic, datetime.date(2025, 3, 1))]
    assert successors(mic, datetime.date(2025, 2, 28)) == [mic]


def test_every_ended_central_agency_has_somewhere_its_work_went(registry):
    ended = Agency.objects.exclude(kind__in=[AgencyKind.PROVINCE, AgencyKind.COMMUNE]).filter(
        valid_to__isnull=False
    )
    assert ended.exists()
    for agency in ended:
        assert Succession.objects.filter(predecessor=agency).exists(), agency.name


def test_the_short_names_notices_use_find_their_agency(registry):
    cases = {
        "Bộ TT&TT": "BTTTT",
        "UBND tỉnh Bắc Ninh": "P27-63",
        "TP. Hồ Chí Minh": "P79-63",
        "Thành phố Hồ Chí Minh": "P79-63",
        "Uỷ ban nhân dân thành phố Hà Nội": "P01",
        "Ngân hàng nhà nước": "NHNN",
        "Bộ Giáo giục và Đào tạo": "BGDDT",
    }
    for name, code in cases.items():
        assert [a.code for a in find_agencies(name, BEFORE)] == [code], name


def test_no_two_agencies_valid_on_the_same_day_share_a_name(registry):
    for day in (BEFORE, AFTER):
        seen: dict[str, str] = {}
        for agency in agencies_on(day).exclude(kind=AgencyKind.COMMUNE).prefetch_related("aliases"):
            for name in {agency.name, *(a.alias for a in agency.aliases.all())}:
                key = normalize(name)
                assert seen.setdefault(key, agency.code) == agency.code, (day, name, seen[key], agency.code)


def test_loading_twice_changes_nothing(registry):
    counts = (
        Agency.objects.count(),
        Succession.objects.count(),
        Agency.objects.filter(aliases__isnull=False).count(),
    )
    second = load_agencies()
    assert second["aliases_added"] == 0
    assert counts == (
        Agency.objects.count(),
        Succession.objects.count(),
        Agency.objects.filter(aliases__isnull=False).count(),
    )


def test_thua_thien_hue_was_renamed_hue_city_on_1_january_2025(registry):
    old = find_agencies("Thừa Thiên Huế", BEFORE)
    assert [(a.code, a.name) for a in old] == [("P46-63", "Tỉnh Thừa Thiên Huế")]
    assert [a.code for a in successors(old[0], datetime.date(2025, 1, 1))] == ["P46"]
    assert [a.code for a in find_agencies("Thành phố Huế", AFTER)] == ["P46"]
