import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxmonitor.agencies.models import Agency
from dxmonitor.directives.models import DeadlineExtension, ProgressReport, Task
from dxmonitor.directives.queries import with_status
from dxmonitor.directives.scorecards import ranking, scorecard
from dxmonitor.directives.services import TaskFilter, task_list
from dxmonitor.directives.status import Status, days_late, deadline_in_force, is_stale, status_on
from dxmonitor.directives.tests.factories import document, task

D = datetime.date


def test_the_sql_status_agrees_with_the_pure_function_on_every_boundary(hanoi):
    deadlines = [None, D(2024, 6, 30)]
    completions = [None, D(2024, 6, 29), D(2024, 6, 30), D(2024, 7, 1)]
    as_ofs = [D(2024, 6, 29), D(2024, 6, 30), D(2024, 7, 1), D(2024, 12, 31)]
    extensions = [None, (D(2024, 6, 25), D(2024, 9, 30)), (D(2024, 7, 10), D(2024, 9, 30))]
    cases = []
    for deadline, completed, extension in itertools.product(deadlines, completions, extensions):
        t = task(hanoi, deadline=deadline, completed_on=completed)
        if extension and deadline:
            approved_on, new = extension
            DeadlineExtension.objects.create(
                task=t,
                agency=hanoi,
                old_deadline=deadline,
                new_deadline=new,
                reason="r",
                state="approved",
                decided_on=approved_on,
            )
            Task.objects.filter(pk=t.pk).update(deadline=new)
        cases.append((t.pk, deadline, completed, extension if deadline else None))
    for as_of in as_ofs:
        got = dict(with_status(Task.objects.all(), as_of).values_list("pk", "status"))
        for pk, deadline, completed, extension in cases:
            in_force = deadline_in_force(deadline, [extension] if extension else [], as_of)
            assert got[pk] == status_on(in_force, completed, as_of), (deadline, completed, extension, as_of)


@pytest.fixture
def portfolio(hanoi, hcmc):
    """Hà Nội: one task of each status as of 2024-07-15; HCMC: one overdue; one for all provinces."""
    as_of = D(2024, 7, 15)
    made = {
        "on_time": task(hanoi, deadline=D(2024, 6, 30), completed_on=D(2024, 6, 30)),
        "late": task(hanoi, deadline=D(2024, 6, 30), completed_on=D(2024, 7, 10)),
        "in_progress": task(hanoi, deadline=D(2024, 7, 15)),
        "overdue": task(hanoi, deadline=D(2024, 7, 14), coordinating=[hcmc]),
        "recurring": task(hanoi),
        "hcmc": task(hcmc, deadline=D(2024, 5, 31)),
        "all": task(Agency.objects.get(code="ALL_PROVINCES"), deadline=D(2024, 12, 31)),
        "future_document": task(hanoi, doc=document(D(2024, 9, 1)), deadline=D(2024, 12, 31)),
    }
    return as_of, made


def test_the_agency_list_filters_by_status_as_of_a_date(reporter, hanoi, portfolio):
    as_of, made = portfolio
    filters = TaskFilter(agency=hanoi, status=Status.OVERDUE, as_of=as_of)
    assert list(task_list(reporter, filters)) == [made["overdue"]]
    everything = task_list(reporter, TaskFilter(as_of=as_of))
    assert made["future_document"] not in everything and made["hcmc"] not in everything
    with_collectives = task_list(reporter, TaskFilter(as_of=as_of, collectives=True))
    assert made["all"] in with_collectives


def test_the_scorecard_counts_exactly_what_the_list_shows(leader, hanoi, portfolio):
    as_of, _ = portfolio
    for filters in (
        TaskFilter(agency=hanoi, role="lead", as_of=as_of),
        TaskFilter(as_of=as_of),
        TaskFilter(agency=hanoi, as_of=as_of, collectives=True),
    ):
        card = scorecard(leader, filters).as_dict()
        for status in Status:
            listed = task_list(leader, TaskFilter(**{**filters.__dict__, "status": status.value})).count()
            assert card[status.value] == listed, (filters, status)
        assert card["total"] == task_list(leader, filters).count()


def test_the_scorecard_rates_and_delays(leader, hanoi, portfolio):
    as_of, _ = portfolio
    card = scorecard(leader, TaskFilter(agency=hanoi, role="lead", as_of=as_of))
    assert (card.completed_on_time, card.completed_late, card.in_progress, card.overdue, card.recurring) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert card.on_time_rate == pytest.approx(33.3)
    assert card.average_delay_days == 5.5  # 10 days late, and 1 day overdue
    assert card.stale == 3  # the open ones: no report since the notice of 24/04/2024


def test_the_ranking_agrees_with_each_agencys_list(leader, hanoi, hcmc, portfolio):
    as_of, _ = portfolio
    rows = {row["code"]: row for row in ranking(leader, TaskFilter(as_of=as_of))}
    for code, agency in (("P01", hanoi), ("P79", hcmc)):
        for status in Status:
            listed = task_list(
                leader, TaskFilter(agency=agency, role="lead", status=status.value, as_of=as_of)
            )
            assert rows[code][status.value] == listed.count(), (code, status)
    assert list(rows)[0] == "P01"  # 33% on time beats HCMC's 0%


def test_the_scorecard_agrees_with_the_pure_functions_as_of_any_date(leader, hanoi, settings):
    # Every combination the scorecard's SQL distinguishes: extensions approved before and after the
    # as-of date, completion on time and late, reports old and recent, documents old, recent and undated.
    docs = [document(D(2024, 4, 24)), document(D(2024, 7, 1)), document(None)]
    extensions = [None, (D(2024, 6, 25), D(2024, 9, 30)), (D(2024, 8, 10), D(2024, 9, 30))]
    reports = [[], [D(2024, 5, 1)], [D(2024, 7, 20)], [D(2024, 5, 1), D(2024, 9, 1)]]
    cases = []
    for doc, deadline, completed, extension, days in itertools.product(
        docs, [None, D(2024, 6, 30)], [None, D(2024, 6, 29), D(2024, 7, 10)], extensions, reports
    ):
        t = task(hanoi, doc=doc, deadline=deadline, completed_on=completed)
        extension = extension if deadline else None
        if extension:
            approved_on, new = extension
            DeadlineExtension.objects.create(
                task=t,
                agency=hanoi,
                old_deadline=deadline,
                new_deadline=new,
                reason="r",
                state="approved",
                decided_on=approved_on,
            )
            Task.objects.filter(pk=t.pk).update(deadline=new)
        for day in days:
            ProgressReport.objects.create(task=t, agency=hanoi, text="r", reported_on=day)
        cases.append((doc.date, deadline, completed, [extension] if extension else [], days))
    settings.STALE_DAYS = 30
    for as_of in (D(2024, 6, 29), D(2024, 6, 30), D(2024, 7, 15), D(2024, 8, 5), D(2024, 12, 31)):
        expected = dict.fromkeys(["total", "stale", *Status], 0)
        delays = []
        for doc_date, deadline, completed, extension, days in cases:
            if doc_date and doc_date > as_of:
                continue
            in_force = deadline_in_force(deadline, extension, as_of)
            status = status_on(in_force, completed, as_of)
            expected["total"] += 1
            expected[status] += 1
            if status in (Status.COMPLETED_LATE, Status.OVERDUE):
                delays.append(days_late(in_force, completed, as_of))
            last = max((d for d in days if d <= as_of), default=None)
            done = status in (Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE)
            if last or doc_date:  # an undated task never reported on has no age to be stale by
                expected["stale"] += is_stale(last, doc_date, as_of, 30, done)
        card = scorecard(leader, TaskFilter(as_of=as_of)).as_dict()
        assert {k: card[k] for k in expected} == expected, as_of
        for status in Status:
            assert task_list(leader, TaskFilter(status=status, as_of=as_of)).count() == expected[status]
        assert card["average_delay_days"] == (round(sum(delays) / len(delays), 1) if delays else None), as_of


def test_an_outsider_cannot_list_or_score_another_agencys_tasks(outsider, hanoi, portfolio):
    with pytest.raises(PermissionDenied):
        task_list(outsider, TaskFilter(agency=hanoi))
    with pytest.raises(PermissionDenied):
        scorecard(outsider, TaskFilter(agency=hanoi))
    own = task_list(outsider, TaskFilter(as_of=portfolio[0]))
    assert set(own) == {portfolio[1]["hcmc"], portfolio[1]["overdue"]}  # it coordinates the overdue one


def test_bad_filter_values_are_refused_with_the_parameter_named(registry):
    with pytest.raises(ValidationError) as error:
        TaskFilter.from_params({"status": "lost", "as_of": "15/07/2024", "agency": "NOPE"})
    assert set(error.value.message_dict) == {"status", "as_of", "agency"}
