"""The agency reference data as shipped: curated CSVs plus the vietnamadminunits package. No Django here.

`load_agencies` writes it to the database; `offline_matcher` matches names against it without one
(as `dxmonitor extract` does).
"""

import csv
import datetime
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dxmonitor.agencies.matching import Candidate, Matcher, province_aliases

DATA = Path(__file__).parent / "data"
PROVINCE_MERGE_DATE = datetime.date(2025, 7, 1)
NATION_CODE = "VN"


@dataclass
class Reference:
    """Agencies by code (fields, parent code, names), and succession links between codes."""

    agencies: dict[str, dict] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    successions: list[dict] = field(default_factory=list)

    def add(self, code, parent_code="", aliases=(), **fields):
        defaults = {"short_name": "", "name_en": "", "admin_code": "", "valid_from": None, "valid_to": None}
        self.agencies[code] = defaults | fields
        if parent_code:
            self.parents[code] = parent_code
        self.aliases.setdefault(code, set()).update(a for a in [fields["name"], *aliases] if a)

    def link(self, predecessor, successor, kind, effective_date, note=""):
        self.successions.append(
            {
                "predecessor": predecessor,
                "successor": successor,
                "kind": kind,
                "effective_date": effective_date,
                "note": note,
            }
        )


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _adminunits(sql: str) -> list[dict]:
    from vietnamadminunits.database import query

    return query(sql)


def province_merges() -> dict[str, list[str]]:
    """New province key → the legacy province keys it was formed from (vietnamadminunits' 2025 table)."""
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))["DICT_PROVINCE"]


def province_rows() -> tuple[list[dict], list[dict]]:
    """Legacy (63) and current (34) provinces as the package has them."""
    sql = "SELECT DISTINCT province, provinceShort, provinceCode, provinceKey FROM {}"
    return _adminunits(sql.format("admin_units_legacy")), _adminunits(sql.format("admin_units"))


def province_code(admin_code: str, legacy: bool) -> str:
    """Our code for a province: P + its official code; a pre-2025 province merged away gets '-63'."""
    return f"P{admin_code}-63" if legacy else f"P{admin_code}"


@lru_cache(maxsize=1)
def reference(communes: bool = True) -> Reference:
    """Everything shipped, assembled once per process."""
    ref = Reference()
    for row in _read_csv("agencies.csv"):
        ref.add(
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
        ref.link(
            row["predecessor_code"],
            row["successor_code"],
            row["kind"],
            _date(row["effective_date"]),
            row["note"],
        )
    _provinces(ref)
    if communes:
        _communes(ref)
    return ref


def _provinces(ref: Reference):
    legacy, current = province_rows()
    merges = province_merges()
    extra: dict[str, list[str]] = {}
    for row in _read_csv("province_aliases.csv"):
        extra.setdefault(row["province_name"], []).append(row["alias"])
    legacy_by_key = {row["provinceKey"]: row for row in legacy}
    renames = {row["province_name"]: row for row in _read_csv("province_renames.csv")}
    day_before = PROVINCE_MERGE_DATE - datetime.timedelta(days=1)
    for row in current:
        sources = merges[row["provinceKey"]]
        unchanged = sources == [row["provinceKey"]]
        names = province_aliases(row["province"], row["provinceShort"]) + extra.get(row["province"], [])
        if unchanged:
            names += extra.get(legacy_by_key[row["provinceKey"]]["province"], [])
        new_code = province_code(row["provinceCode"], legacy=False)
        ref.add(
            new_code,
            parent_code=NATION_CODE,
            aliases=names,
            name=row["province"],
            short_name=row["provinceShort"],
            kind="province",
            admin_code=row["provinceCode"],
            valid_from=None if unchanged else PROVINCE_MERGE_DATE,
        )
        if unchanged:
            _renamed(ref, new_code, renames.get(row["province"]), extra)
            continue
        for key in sources:
            old = legacy_by_key[key]
            old_code = province_code(old["provinceCode"], legacy=True)
            ref.add(
                old_code,
                parent_code=NATION_CODE,
                aliases=province_aliases(old["province"], old["provinceShort"])
                + extra.get(old["province"], []),
                name=old["province"],
                short_name=old["provinceShort"],
                kind="province",
                admin_code=old["provinceCode"],
                valid_to=day_before,
            )
            ref.link(old_code, new_code, "merged_into", PROVINCE_MERGE_DATE, "Nghị quyết 202/2025/QH15")


def _renamed(ref: Reference, code: str, rename: dict | None, extra: dict[str, list[str]]):
    """A province that kept its borders but changed its name and status before 2025-07-01 (Huế)."""
    if rename is None:
        return
    renamed_on = _date(rename["renamed_on"])
    ref.agencies[code]["valid_from"] = renamed_on
    old_names = province_aliases(rename["old_name"], rename["old_short_name"])
    ref.add(
        rename["old_code"],
        parent_code=NATION_CODE,
        aliases=old_names + extra.get(rename["old_name"], []),
        name=rename["old_name"],
        short_name=rename["old_short_name"],
        kind="province",
        admin_code=ref.agencies[code]["admin_code"],
        valid_to=renamed_on - datetime.timedelta(days=1),
    )
    ref.link(rename["old_code"], code, "renamed_to", renamed_on, rename["note"])


def _communes(ref: Reference):
    for row in _adminunits("SELECT provinceCode, ward, wardShort, wardCode FROM admin_units"):
        ref.add(
            f"X{row['wardCode']}",
            parent_code=province_code(row["provinceCode"], legacy=False),
            name=row["ward"],
            short_name=row["wardShort"],
            kind="commune",
            admin_code=row["wardCode"],
            valid_from=PROVINCE_MERGE_DATE,
        )


def build_matcher(rows) -> Matcher:
    """A matcher over (code, name, kind, valid_from, valid_to, names) rows; communes are left out."""
    matcher = Matcher()
    for code, name, kind, valid_from, valid_to, names in rows:
        if kind != "commune":
            matcher.add(Candidate(code, name, kind, valid_from, valid_to), names)
    return matcher


@lru_cache(maxsize=1)
def offline_matcher() -> Matcher:
    """The shipped registry's matcher, for reading notices without a database."""
    ref = reference()
    return build_matcher(
        (code, f["name"], f["kind"], f["valid_from"], f["valid_to"], [f["short_name"], *ref.aliases[code]])
        for code, f in ref.agencies.items()
    )
