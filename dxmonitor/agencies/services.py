"""Agency operations: loading the registry, listing by date, following successions, matching names."""

import csv
import datetime
import json
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from dxmonitor.agencies.matching import Candidate, Matcher, normalize, province_aliases
from dxmonitor.agencies.models import Agency, AgencyAlias, AgencyKind, Succession

DATA = Path(__file__).parent / "data"
PROVINCE_MERGE_DATE = datetime.date(2025, 7, 1)
NATION_CODE = "VN"


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _adminunits(sql: str) -> list[dict]:
    from vietnamadminunits.database import query

    return query(sql)


def _province_merges() -> dict[str, list[str]]:
    """New province key → the legacy province keys it was formed from (vietnamadminunits' 2025 table)."""
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))["DICT_PROVINCE"]


def province_rows() -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    """Legacy (63) and current (34) provinces as the package has them, and the merge table."""
    sql = "SELECT DISTINCT province, provinceShort, provinceCode, provinceKey FROM {}"
    legacy = _adminunits(sql.format("admin_units_legacy"))
    current = _adminunits(sql.format("admin_units"))
    return legacy, current, _province_merges()


def province_code(admin_code: str, legacy: bool) -> str:
    """Our code for a province: P + its official code; an ended pre-2025 province gets '-63'."""
    return f"P{admin_code}-63" if legacy else f"P{admin_code}"


class _Loader:
    """Collects rows, then writes them in a few bulk statements; safe to run again."""

    def __init__(self):
        self.agencies: dict[str, dict] = {}
        self.parents: dict[str, str] = {}
        self.aliases: dict[str, set[str]] = {}
        self.successions: list[dict] = []

    FIELDS = ("name", "short_name", "name_en", "kind", "admin_code", "valid_from", "valid_to")

    def agency(self, code, parent_code="", aliases=(), **fields):
        defaults = {"short_name": "", "name_en": "", "admin_code": "", "valid_from": None, "valid_to": None}
        self.agencies[code] = defaults | fields
        if parent_code:
            self.parents[code] = parent_code
        self.aliases.setdefault(code, set()).update(a for a in [fields["name"], *aliases] if a)

    def save(self) -> dict[str, int]:
        rows = [Agency(code=code, **values) for code, values in self.agencies.items()]
        Agency.objects.bulk_create(
            rows, batch_size=500, update_conflicts=True, unique_fields=["code"], update_fields=self.FIELDS
        )
        ids = dict(Agency.objects.values_list("code", "id"))
        to_update = [Agency(id=ids[code], parent_id=ids[parent]) for code, parent in self.parents.items()]
        Agency.objects.bulk_update(to_update, ["parent"], batch_size=500)
        existing = set(AgencyAlias.objects.values_list("agency_id", "key"))
        new_aliases = []
        for code, names in self.aliases.items():
            for name in sorted(names):
                key = normalize(name)
                if (ids[code], key) not in existing:
                    existing.add((ids[code], key))
                    new_aliases.append(AgencyAlias(agency_id=ids[code], alias=name, key=key))
        AgencyAlias.objects.bulk_create(new_aliases, batch_size=1000)
        for row in self.successions:
            Succession.objects.update_or_create(
                predecessor_id=ids[row["predecessor"]],
                successor_id=ids[row["successor"]],
                defaults={"kind": row["kind"], "effective_date": row["effective_date"], "note": row["note"]},
            )
        return {
            "agencies": len(rows),
            "aliases_added": len(new_aliases),
            "successions": len(self.successions),
        }


@transaction.atomic
def load_agencies() -> dict[str, int]:
    """Load or refresh the whole registry: central agencies, 63 and 34 provinces, communes, successions."""
    loader = _Loader()
    for row in _read_csv("agencies.csv"):
        loader.agency(
            row["code"],
            parent_code=row["parent_code"],
            aliases=[a.strip() for a in row["aliases"].split("|") if a.strip()],
            name=row["name"],
            short_name=row["short_name"],
            name_en=row["name_en"],
            kind=row["kind"],
            valid_from=_date(row["valid_from"]),
            valid_to=_date(row["valid_to"]),
        )
    for row in _read_csv("successions.csv"):
        loader.successions.append(
            {
                "predecessor": row["predecessor_code"],
                "successor": row["successor_code"],
                "kind": row["kind"],
                "effective_date": _date(row["effective_date"]),
                "note": row["note"],
            }
        )
    _load_provinces(loader)
    _load_communes(loader)
    counts = loader.save()
    matcher.cache_clear()
    return counts


def _load_provinces(loader: _Loader):
    legacy, current, merges = province_rows()
    extra = {}
    for row in _read_csv("province_aliases.csv"):
        extra.setdefault(row["province_name"], []).append(row["alias"])
    legacy_by_key = {row["provinceKey"]: row for row in legacy}
    day_before = PROVINCE_MERGE_DATE - datetime.timedelta(days=1)
    for row in current:
        sources = merges[row["provinceKey"]]
        unchanged = sources == [row["provinceKey"]]
        names = province_aliases(row["province"], row["provinceShort"]) + extra.get(row["province"], [])
        if unchanged:
            names += extra.get(legacy_by_key[row["provinceKey"]]["province"], [])
        loader.agency(
            province_code(row["provinceCode"], legacy=False),
            parent_code=NATION_CODE,
            aliases=names,
            name=row["province"],
            short_name=row["provinceShort"],
            kind=AgencyKind.PROVINCE,
            admin_code=row["provinceCode"],
            valid_from=None if unchanged else PROVINCE_MERGE_DATE,
            valid_to=None,
        )
        if unchanged:
            continue
        for key in sources:
            old = legacy_by_key[key]
            old_code = province_code(old["provinceCode"], legacy=True)
            loader.agency(
                old_code,
                parent_code=NATION_CODE,
                aliases=province_aliases(old["province"], old["provinceShort"])
                + extra.get(old["province"], []),
                name=old["province"],
                short_name=old["provinceShort"],
                kind=AgencyKind.PROVINCE,
                admin_code=old["provinceCode"],
                valid_from=None,
                valid_to=day_before,
            )
            loader.successions.append(
                {
                    "predecessor": old_code,
                    "successor": province_code(row["provinceCode"], legacy=False),
                    "kind": Succession.Kind.MERGED_INTO,
                    "effective_date": PROVINCE_MERGE_DATE,
                    "note": "Nghị quyết 202/2025/QH15",
                }
            )


def _load_communes(loader: _Loader):
    rows = _adminunits("SELECT province, provinceCode, ward, wardShort, wardCode FROM admin_units")
    for row in rows:
        loader.agency(
            f"X{row['wardCode']}",
            parent_code=province_code(row["provinceCode"], legacy=False),
            name=row["ward"],
            short_name=row["wardShort"],
            kind=AgencyKind.COMMUNE,
            admin_code=row["wardCode"],
            valid_from=PROVINCE_MERGE_DATE,
            valid_to=None,
        )


def agencies_on(day: datetime.date, kind: str | None = None):
    """Agencies valid on day, optionally of one kind, ordered by kind and name."""
    qs = Agency.objects.valid_on(day).select_related("parent")
    return qs.filter(kind=kind) if kind else qs


def successors(agency: Agency, on: datetime.date) -> list[Agency]:
    """The agencies, valid on `on`, that hold the work `agency` had; itself if it still exists."""
    found, seen, frontier = [], set(), [agency]
    while frontier:
        current = frontier.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.is_valid_on(on):
            found.append(current)
            continue
        links = current.successions.filter(effective_date__lte=on).select_related("successor")
        frontier.extend(link.successor for link in links)
    return found


def predecessors(agency: Agency, on: datetime.date) -> list[Agency]:
    """The agencies, valid on `on`, whose work `agency` later took over (the reverse of successors)."""
    found, seen, frontier = [], set(), [agency]
    while frontier:
        current = frontier.pop(0)
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.is_valid_on(on):
            found.append(current)
            continue
        links = current.predecessions.filter(effective_date__gt=on).select_related("predecessor")
        frontier.extend(link.predecessor for link in links)
    return found


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The registry's matcher, built once per process; load_agencies resets it."""
    result = Matcher()
    agencies = {a.id: a for a in Agency.objects.exclude(kind=AgencyKind.COMMUNE)}
    names: dict[int, list[str]] = {pk: [a.name, a.short_name] for pk, a in agencies.items()}
    for agency_id, alias in AgencyAlias.objects.values_list("agency_id", "alias"):
        if agency_id in names:
            names[agency_id].append(alias)
    for pk, agency in agencies.items():
        candidate = Candidate(pk, agency.code, agency.name, agency.kind, agency.valid_from, agency.valid_to)
        result.add(candidate, names[pk])
    return result


def find_agencies(name: str, on: datetime.date | None = None) -> list[Agency]:
    """Agencies known by this name (any alias), as valid on a date when given."""
    ids = [c.id for c in matcher().lookup(name, on)]
    by_id = Agency.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
