"""Agency operations: loading the registry, listing by date, following successions, matching names."""

import datetime
from functools import lru_cache

from django.db import transaction

from dxmonitor.agencies.matching import Matcher, normalize
from dxmonitor.agencies.models import Agency, AgencyAlias, AgencyKind, Succession
from dxmonitor.agencies.reference import build_matcher, reference


@transaction.atomic
def load_agencies() -> dict[str, int]:
    """Load or refresh the whole registry from the shipped reference data; safe to run again."""
    ref = reference()
    fields = ["name", "short_name", "name_en", "kind", "admin_code", "valid_from", "valid_to"]
    rows = [Agency(code=code, **values) for code, values in ref.agencies.items()]
    Agency.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )
    ids = dict(Agency.objects.values_list("code", "id"))
    parents = [Agency(id=ids[code], parent_id=ids[parent]) for code, parent in ref.parents.items()]
    Agency.objects.bulk_update(parents, ["parent"], batch_size=500)
    existing = set(AgencyAlias.objects.values_list("agency_id", "key"))
    new_aliases = []
    for code, names in ref.aliases.items():
        for name in sorted(names):
            key = normalize(name)
            if (ids[code], key) not in existing:
                existing.add((ids[code], key))
                new_aliases.append(AgencyAlias(agency_id=ids[code], alias=name, key=key))
    AgencyAlias.objects.bulk_create(new_aliases, batch_size=1000)
    for link in ref.successions:
        Succession.objects.update_or_create(
            predecessor_id=ids[link["predecessor"]],
            successor_id=ids[link["successor"]],
            defaults={"kind": link["kind"], "effective_date": link["effective_date"], "note": link["note"]},
        )
    matcher.cache_clear()
    return {"agencies": len(rows), "aliases_added": len(new_aliases), "successions": len(ref.successions)}


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
    """The database registry's matcher (admin edits included), built once per process."""
    names: dict[int, list[str]] = {}
    for agency_id, alias in AgencyAlias.objects.values_list("agency_id", "alias"):
        names.setdefault(agency_id, []).append(alias)
    agencies = Agency.objects.exclude(kind=AgencyKind.COMMUNE)
    return build_matcher(
        (a.code, a.name, a.kind, a.valid_from, a.valid_to, [a.short_name, *names.get(a.id, [])])
        for a in agencies
    )


def find_agencies(name: str, on: datetime.date | None = None) -> list[Agency]:
    """Agencies known by this name (any alias), as valid on a date when given."""
    codes = [c.code for c in matcher().lookup(name, on)]
    by_code = Agency.objects.in_bulk(codes, field_name="code")
    return [by_code[c] for c in codes if c in by_code]


# Which agencies a collective wording addresses: a province's officers see and report on tasks given to
# "Ủy ban nhân dân các tỉnh, thành phố" as their own. Collectives not listed (RELATED_AGENCIES, the
# enterprises) name nobody in particular.
COLLECTIVE_MEMBERS = {
    "ALL_MINISTRIES": {"ministry", "ministry_level", "government_agency"},
    "ALL_PROVINCES": {"province"},
    "ALL_MINISTRIES_PROVINCES": {"ministry", "ministry_level", "government_agency", "province"},
    "ALL_LOCAL_GOVERNMENTS": {"province", "commune"},
    "STATE_AGENCIES": {
        "ministry",
        "ministry_level",
        "government_agency",
        "central_body",
        "province",
        "commune",
    },
}


def collectives_covering(agency: Agency) -> list[int]:
    """Ids of the collectives whose tasks are also this agency's."""
    codes = [code for code, kinds in COLLECTIVE_MEMBERS.items() if agency.kind in kinds]
    return list(Agency.objects.filter(code__in=codes).values_list("id", flat=True))
