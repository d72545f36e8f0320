import datetime

from dxmonitor.directives.status import Status, days_late, deadline_in_force, is_stale, status_on

D = datetime.date
DEADLINE = D(2024, 6, 30)


def test_the_deadline_day_itself_is_still_in_progress_not_overdue():
    assert status_on(DEADLINE, None, D(2024, 6, 30)) == Status.IN_PROGRESS
    assert status_on(DEADLINE, None, D(2024, 7, 1)) == Status.OVERDUE


def test_completion_on_the_deadline_day_is_on_time_and_the_day_after_is_late():
    assert status_on(DEADLINE, D(2024, 6, 30), D(2024, 12, 31)) == Status.COMPLETED_ON_TIME
    assert status_on(DEADLINE, D(2024, 7, 1), D(2024, 12, 31)) == Status.COMPLETED_LATE


def test_as_of_a_date_before_completion_the_task_was_still_open():
    assert status_on(DEADLINE, D(2024, 8, 15), D(2024, 6, 1)) == Status.IN_PROGRESS
    assert status_on(DEADLINE, D(2024, 8, 15), D(2024, 7, 20)) == Status.OVERDUE
    assert status_on(DEADLINE, D(2024, 8, 15), D(2024, 8, 15)) == Status.COMPLETED_LATE


def test_recurring_work_is_never_overdue_and_counts_as_on_time_when_closed():
    assert status_on(None, None, D(2030, 1, 1)) == Status.RECURRING
    assert status_on(None, D(2024, 3, 1), D(2024, 3, 1)) == Status.COMPLETED_ON_TIME


def test_an_extension_counts_from_the_day_it_was_approved():
    extensions = [(D(2024, 6, 20), D(2024, 9, 30))]
    assert deadline_in_force(DEADLINE, extensions, D(2024, 6, 19)) == DEADLINE
    assert deadline_in_force(DEADLINE, extensions, D(2024, 6, 20)) == D(2024, 9, 30)
    in_force = deadline_in_force(DEADLINE, extensions, D(2024, 8, 1))
    assert status_on(in_force, None, D(2024, 8, 1)) == Status.IN_PROGRESS


def test_the_latest_approved_extension_wins():
    extensions = [(D(2024, 9, 1), D(2024, 12, 31)), (D(2024, 6, 20), D(2024, 9, 30))]
    assert deadline_in_force(DEADLINE, extensions, D(2024, 10, 1)) == D(2024, 12, 31)
    assert deadline_in_force(DEADLINE, extensions, D(2024, 8, 1)) == D(2024, 9, 30)


def test_days_late_counts_to_completion_or_to_the_as_of_date():
    assert days_late(DEADLINE, D(2024, 7, 10), D(2024, 12, 31)) == 10
    assert days_late(DEADLINE, None, D(2024, 7, 5)) == 5
    assert days_late(DEADLINE, D(2024, 6, 1), D(2024, 12, 31)) == 0
    assert days_late(None, None, D(2024, 12, 31)) == 0


def test_open_work_without_a_recent_report_is_stale():
    assert is_stale(D(2024, 5, 1), D(2024, 4, 24), D(2024, 6, 1), days=30, done=False)
    assert not is_stale(D(2024, 5, 10), D(2024, 4, 24), D(2024, 6, 1), days=30, done=False)
    assert is_stale(None, D(2024, 4, 24), D(2024, 6, 1), days=30, done=False)
    assert not is_stale(None, D(2024, 4, 24), D(2024, 6, 1), days=30, done=True)
