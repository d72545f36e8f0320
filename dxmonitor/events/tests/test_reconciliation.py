"""Reconciliation of reported and computed values, the events API and the command line."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from dxmonitor.accounts.models import ApiToken
from dxmonitor.agencies.models import Agency
from dxmonitor.core.periods import Period
from dxmonitor.events import schema, services
from dxmonitor.events.tests.records import record, write_csv
from dxmonitor.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]


@pytest.fixture
def data_dir(tmp_path, monkeypatch, registry):
    """The installation's data directory, as the API and the command use it."""
    monkeypatch.setenv("DXMONITOR_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def computed(data_dir):
    """Hà Nội in August 2025: two dossiers, one submitted online (50 %)."""
    rows = [record(1), record(2, channel="in_person")]
    services.ingest_file(None, write_csv(data_dir / "a.csv", rows))
    return Observation.objects.get(
        indicator__code="EV.ONLINE_SUBMITTED", agency__code="P01", period="2025-08"
    )


def reported(indicator, agency_code, value, period="2025-08"):
    p = Period.parse(period)
    return Observation.objects.create(
        indicator=indicator,
        agency=Agency.objects.get(code=agency_code),
        source=Observation.Source.REPORTED,
        state=Observation.State.APPROVED,
        value=value,
        period=p.code,
        period_kind=p.kind,
        period_start=p.start,
        period_end=p.end,
    )


def test_a_gap_beyond_the_threshold_is_flagged(computed, secretariat):
    reported(computed.indicator, "P01", 60)

    [row] = services.reconciliation(secretariat, month="2025-08")

    assert (row["agency"], row["reported"], row["computed"], row["gap_pp"], row["flagged"]) == (
        "P01",
        60,
        50,
        10,
        True,
    )
    assert not services.reconciliation(secretariat, month="2025-08", threshold=15)[0]["flagged"]


def test_a_linked_catalogue_indicator_is_reconciled_too(computed, secretariat):
    catalogue = Indicator.objects.create(code="T.ONLINE", name="Tỷ lệ hồ sơ nộp trực tuyến", unit="%")
    definition = computed.indicator.definitions.get()
    definition.params["reconcile_with"] = ["T.ONLINE"]
    definition.save()
    reported(catalogue, "P01", 52)

    [row] = services.reconciliation(secretariat, indicator="T.ONLINE")

    assert (row["indicator"], row["reported_indicator"], row["gap_pp"], row["flagged"]) == (
        "EV.ONLINE_SUBMITTED",
        "T.ONLINE",
        2,
        False,
    )


def test_an_agency_sees_its_own_reconciliation_and_an_outsider_does_not(computed, reporter, outsider):
    reported(computed.indicator, "P01", 60)
    assert len(services.reconciliation(reporter)) == 1
    assert services.reconciliation(outsider) == []


def test_the_api_lists_and_exports_the_reconciliation(computed, leader, outsider):
    reported(computed.indicator, "P01", 60)
    client = Client()
    client.force_login(leader)

    rows = client.get("/api/v1/events/reconciliation", {"month": "2025-08", "flagged": "true"}).json()
    exported = client.get("/api/v1/events/reconciliation.csv", {"month": "2025-08"})

    assert [(r["agency"], r["gap_pp"], r["flagged"]) for r in rows] == [("P01", 10.0, True)]
    assert exported["Content-Type"].startswith("text/csv")
    [line] = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert (line["agency"], line["gap_pp"], line["flagged"]) == ("P01", "10.0", "True")
    client.force_login(outsider)
    assert client.get("/api/v1/events/reconciliation").json() == []


def test_a_system_pushes_a_batch_with_the_secretariats_token(data_dir, secretariat):
    _, key = ApiToken.issue(secretariat, "cổng dịch vụ công")
    client = Client()
    body = json.dumps([record(1), record(2, agency_code="X99999"), {**record(3), "digitised": True}])

    response = client.post(
        "/api/v1/events/dossiers", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in ("rows", "new", "quarantined", "months")} == {
        "rows": 3,
        "new": 2,
        "quarantined": 1,
        "months": [202508],
    }
    figures = client.get(
        "/api/v1/events/figures",
        {"month": "2025-08", "level": "province"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert [(r["agency"], r["counts"]["dossiers"]) for r in figures.json()] == [("P01", 2)]
    # A year where a month belongs: a message in both languages, not a server error.
    wrong = client.get("/api/v1/events/figures", {"month": "2025"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert wrong.status_code == 400
    assert "2025-07" in wrong.json()["detail_en"] and wrong.json()["detail"] != wrong.json()["detail_en"]


def test_only_the_secretariat_may_push_and_a_bad_batch_is_refused(data_dir, reporter, secretariat):
    client = Client()
    body = json.dumps([record(1)])
    assert client.post("/api/v1/events/dossiers", body, content_type="application/json").status_code == 401
    _, key = ApiToken.issue(reporter, "hệ thống tỉnh")
    forbidden = client.post(
        "/api/v1/events/dossiers", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert forbidden.status_code == 403
    _, key = ApiToken.issue(secretariat, "cổng")
    empty = client.post(
        "/api/v1/events/dossiers", "[]", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
    assert not (data_dir / "events" / "dossiers").exists() or not list(
        (data_dir / "events").rglob("*.parquet")
    )


def test_the_commands_generate_ingest_compute_and_reconcile(data_dir, capsys):
    path = data_dir / "demo.csv"
    call_command("events", "generate", "--rows", "400", "--seed", "2", "--out", str(path))
    call_command("events", "ingest", str(path))
    call_command("events", "ingest", str(path))
    call_command("events", "compute")
    call_command("events", "reconcile", "--out", str(data_dir / "gaps.csv"))
    out = capsys.readouterr().out

    assert "400 synthetic dossier records" in out
    assert "400 rows — accepted 400 (new 400," in out
    assert "accepted 0 (new 0, replacing 0, older kept as history 0), replaced 0, already stored 400" in out
    assert "12 months recomputed; observations created 0, updated 0, deleted 0" in out
    assert (data_dir / "gaps.csv").read_text().startswith("indicator,reported_indicator,agency")


def test_the_demo_loads_a_small_synthetic_set_once(data_dir):
    first = services.load_demo_events(rows=300)
    again = services.load_demo_events(rows=300)
    assert (first.new, again.new, again.stored) == (300, 0, 300)
    assert Observation.objects.filter(
        indicator__code="EV.DOSSIERS", note__contains="Dữ liệu minh họa"
    ).exists()


def test_the_schema_document_lists_every_field_and_code():
    text = (ROOT / "docs" / "events-schema.md").read_text(encoding="utf-8")
    for field in schema.FIELDS:
        assert f"| `{field.name}` | {field.type}" in text, field.name
        assert ("| yes |" if field.required else "| no |") in text.split(f"| `{field.name}` |")[1].split(
            "\n"
        )[0]
    for code in [*schema.CHANNELS, *schema.STATES]:
        assert f"`{code}`" in text
    for measure, *_ in schema.MEASURES:
        assert f"`{schema.indicator_code(measure)}`" in text


def test_the_indicator_page_flags_the_gap_and_an_outsider_sees_no_row(computed, secretariat, outsider):
    reported(computed.indicator, "P01", 60)
    client = Client()
    client.force_login(secretariat)
    page = client.get(f"/indicators/{computed.indicator.code}/")
    assert page.status_code == 200 and 'data-testid="reconciliation"' in page.content.decode()
    assert page.context["flagged"] == 1
    data = client.get(f"/indicators/{computed.indicator.code}.json").json()
    [row] = data["reconciliation"]
    assert (row["agency"], row["reported"], row["computed"], row["flagged"]) == ("P01", 60.0, 50.0, True)
    client.force_login(outsider)
    assert client.get(f"/indicators/{computed.indicator.code}.json").json()["reconciliation"] == []
