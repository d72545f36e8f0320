import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dxmonitor.accounts.models import Role
from dxmonitor.accounts.services import create_user
from dxmonitor.agencies.models import Agency
from dxmonitor.core.models import Notification
from dxmonitor.directives import progress
from dxmonitor.directives.jobs import schedule_reminders, send_reminders_job
from dxmonitor.directives.models import Document
from dxmonitor.directives.reminders import send_reminders
from dxmonitor.directives.tests.factories import document, task

D = datetime.date
DEADLINE = D(2024, 7, 10)  # a Wednesday; 2024-07-08 is the Monday before it


@pytest.fixture(autouse=True)
def remind_days(settings):
    settings.REMIND_DAYS = [7, 1]


@pytest.fixture
def cast(secretariat, reporter, approver, outsider):
    """Everyone with an address, so e-mail can be checked too."""
    for user in (secretariat, reporter, approver, outsider):
        user.email = f"{user.username}@example.gov.vn"
        user.save()
    return secretariat, reporter, approver, outsider


def keys(user, kind):
    return set(Notification.objects.filter(user=user, kind=kind).values_list("key", flat=True))


def days(start, end):
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


def test_the_lead_agency_is_reminded_seven_days_and_one_day_before_the_deadline_and_on_no_other_day(
    cast, hanoi
):
    _, reporter, approver, _ = cast
    t = task(hanoi, deadline=DEADLINE, text="Ban hành kế hoạch chuyển đổi số")
    reminded = {day: send_reminders(day)["due"] for day in days(D(2024, 6, 25), D(2024, 7, 20))}
    assert {day: n for day, n in reminded.items() if n} == {D(2024, 7, 3): 2, D(2024, 7, 9): 2}
    subjects = set(Notification.objects.filter(kind="due").values_list("subject", flat=True))
    assert len(subjects) == 1
    (subject,) = subjects
    assert subject.startswith("Nhắc hạn: nhiệm vụ “Ban hành kế hoạch chuyển đổi số” đến hạn ngày 10/07/2024")
    assert "Reminder: task" in subject and "due 10/07/2024" in subject
    assert {n.url for n in Notification.objects.filter(kind="due")} == {f"/tasks/{t.pk}/"}
    assert len(keys(reporter, "due")) == len(keys(approver, "due")) == 2


def test_the_day_after_the_deadline_reminds_the_lead_agency_and_the_secretariat_once(cast, hanoi):
    secretariat, reporter, approver, _ = cast
    t = task(hanoi, deadline=DEADLINE)
    assert send_reminders(DEADLINE)["passed"] == 0  # the deadline day itself is still on time
    assert send_reminders(D(2024, 7, 11))["passed"] == 3
    assert send_reminders(D(2024, 7, 12))["passed"] == 0
    assert keys(reporter, "passed") == {f"passed:{t.pk}:2024-07-10:{reporter.pk}"}
    assert keys(approver, "passed") == {f"passed:{t.pk}:2024-07-10:{approver.pk}"}
    (summary,) = Notification.objects.filter(user=secretariat, kind="passed")
    assert summary.subject.startswith("Quá hạn: 1 nhiệm vụ đã quá hạn ngày 10/07/2024")
    assert f"/tasks/{t.pk}/" in summary.body


def test_the_secretariat_gets_one_list_when_many_deadlines_pass_the_same_day(cast, hanoi, hcmc):
    secretariat = cast[0]
    made = [task(hanoi, deadline=DEADLINE), task(hcmc, deadline=DEADLINE), task(hanoi, deadline=DEADLINE)]
    send_reminders(D(2024, 7, 11))
    (summary,) = Notification.objects.filter(user=secretariat)
    assert "3 nhiệm vụ" in summary.subject and "3 tasks" in summary.subject
    assert all(f"/tasks/{t.pk}/" in summary.body for t in made)


def test_a_completed_task_is_not_reminded(cast, hanoi):
    task(hanoi, deadline=DEADLINE, completed_on=D(2024, 7, 1))
    for day in days(D(2024, 7, 1), D(2024, 7, 15)):
        assert send_reminders(day) == {"due": 0, "passed": 0, "digest": 0}, day
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_task_completed_after_a_reminder_hears_no_more(cast, hanoi):
    reporter = cast[1]
    task(hanoi, deadline=DEADLINE, completed_on=D(2024, 7, 5))
    send_reminders(D(2024, 7, 3))
    send_reminders(D(2024, 7, 9))
    send_reminders(D(2024, 7, 11))
    assert [key.split(":")[4] for key in keys(reporter, "due")] == ["7"]
    assert keys(reporter, "passed") == set()


def test_an_extended_deadline_reminds_again_for_the_new_date(cast, hanoi):
    secretariat, reporter, approver, _ = cast
    today = timezone.localdate()
    t = task(hanoi, deadline=today + datetime.timedelta(days=7))
    assert send_reminders(today)["due"] == 2
    extension = progress.request_extension(
        t, reporter, new_deadline=today + datetime.timedelta(days=8), reason="Chờ ý kiến các bộ"
    )
    progress.decide_extension(extension, secretariat, approve=True)
    assert send_reminders(today)["due"] == 0  # the same day again: nothing new
    assert send_reminders(today + datetime.timedelta(days=1))["due"] == 2  # 7 days before the new date
    new = (today + datetime.timedelta(days=8)).isoformat()
    assert {key.split(":")[3] for key in keys(reporter, "due")} == {
        (today + datetime.timedelta(days=7)).isoformat(),
        new,
    }
    # The old deadline passing is not news: the task is within its new deadline.
    assert send_reminders(today + datetime.timedelta(days=8))["passed"] == 0


def test_an_extension_approved_later_does_not_change_what_an_earlier_day_reminded(cast, hanoi):
    reporter = cast[1]
    t = task(hanoi, deadline=DEADLINE)
    t.extensions.create(
        agency=hanoi,
        old_deadline=DEADLINE,
        new_deadline=D(2024, 7, 31),
        reason="r",
        state="approved",
        decided_on=D(2024, 7, 5),
    )
    t.deadline = D(2024, 7, 31)
    t.save()
    send_reminders(D(2024, 7, 3))  # before the approval: the original deadline was in force
    send_reminders(D(2024, 7, 9))  # after it: no longer due on the 10th
    send_reminders(D(2024, 7, 24))
    assert sorted(key.split(":")[3] for key in keys(reporter, "due")) == ["2024-07-10", "2024-07-31"]


def test_running_remind_twice_sends_nothing_the_second_time(cast, hanoi, hcmc):
    task(hanoi, deadline=D(2024, 7, 9), coordinating=[hcmc])  # due tomorrow
    task(hanoi, deadline=D(2024, 7, 7))  # passed yesterday
    task(hcmc, deadline=D(2024, 7, 16))  # in the digest only
    out = []
    for _ in range(2):
        call_command("remind", "--date", "2024-07-08", stdout=(buffer := io.StringIO()))
        out.append(buffer.getvalue().strip())
    assert out[0] == "2024-07-08: due 2, passed 3, digest 3"
    assert out[1] == "2024-07-08: due 0, passed 0, digest 0"
    assert Notification.objects.count() == 8
    assert len(mail.outbox) == 8
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_only_the_lead_agencys_people_are_reminded_of_a_deadline(cast, hanoi, hcmc):
    _, reporter, _, outsider = cast
    task(hanoi, deadline=DEADLINE, coordinating=[hcmc])
    send_reminders(D(2024, 7, 3))
    send_reminders(D(2024, 7, 11))
    assert keys(outsider, "due") == keys(outsider, "passed") == set()
    assert keys(reporter, "due") and keys(reporter, "passed")
    assert not any(outsider.email in m.to for m in mail.outbox)


def test_a_task_led_by_all_provinces_reminds_each_provinces_people(cast, registry):
    _, reporter, approver, outsider = cast
    ministry = create_user("bo.baocao", "correct-horse-battery-9", Role.REPORTER, registry.get(code="BTP"))
    task(registry.get(code="ALL_PROVINCES"), deadline=DEADLINE)
    assert send_reminders(D(2024, 7, 3))["due"] == 3
    assert all(keys(user, "due") for user in (reporter, approver, outsider))
    assert keys(ministry, "due") == set()


def test_the_monday_digest_lists_each_agencys_due_and_overdue_tasks_with_links(cast, hanoi, hcmc):
    _, reporter, approver, outsider = cast
    monday = D(2024, 7, 8)
    due = task(hanoi, deadline=D(2024, 7, 19), text="Sắp đến hạn")
    overdue = task(hcmc, deadline=D(2024, 6, 30), coordinating=[hanoi], text="Quá hạn rồi")
    later = task(hanoi, deadline=D(2024, 7, 23), text="Còn xa")  # 15 days away
    done = task(hanoi, deadline=D(2024, 7, 1), completed_on=D(2024, 7, 5), text="Đã xong")
    recurring = task(hanoi, text="Thường xuyên")
    assert send_reminders(monday)["digest"] == 3
    (digest,) = Notification.objects.filter(user=reporter, kind="digest")
    assert digest.key == f"digest:{hanoi.pk}:2024-W28:{reporter.pk}"
    assert "1 nhiệm vụ sắp đến hạn, 1 quá hạn" in digest.subject
    assert "1 task due soon, 1 overdue" in digest.subject
    assert f"/tasks/{due.pk}/" in digest.body and f"/tasks/{overdue.pk}/" in digest.body
    assert "(phối hợp / coordinating)" in digest.body
    for quiet in (later, done, recurring):
        assert f"/tasks/{quiet.pk}/" not in digest.body
    assert digest.url == f"/tasks/?agency={hanoi.code}&collectives=1"
    assert keys(approver, "digest")
    (theirs,) = Notification.objects.filter(user=outsider, kind="digest")
    assert f"/tasks/{overdue.pk}/" in theirs.body and f"/tasks/{due.pk}/" not in theirs.body


def test_the_digest_comes_on_mondays_only_and_once_a_week(cast, hanoi):
    task(hanoi, deadline=D(2024, 7, 9))
    task(hanoi, deadline=D(2024, 6, 1))
    sent = {day: send_reminders(day)["digest"] for day in days(D(2024, 7, 1), D(2024, 7, 16))}
    assert {day for day, n in sent.items() if n} == {D(2024, 7, 1), D(2024, 7, 8), D(2024, 7, 15)}
    assert send_reminders(D(2024, 7, 8))["digest"] == 0


def test_an_agency_with_nothing_due_or_overdue_gets_no_digest(cast, hanoi):
    outsider = cast[3]
    task(hanoi, deadline=D(2024, 7, 9))
    send_reminders(D(2024, 7, 8))
    assert keys(outsider, "digest") == set()


def test_tasks_of_a_draft_document_or_a_later_document_are_not_reminded(cast, hanoi):
    draft = document()
    Document.objects.filter(pk=draft.pk).update(state=Document.State.DRAFT)
    task(hanoi, doc=draft, deadline=DEADLINE)
    task(hanoi, doc=document(D(2024, 8, 1)), deadline=DEADLINE)
    for day in (D(2024, 7, 3), D(2024, 7, 8), D(2024, 7, 11)):
        assert sum(send_reminders(day).values()) == 0


def test_people_without_an_address_are_notified_in_the_app_only(reporter, hanoi):
    task(hanoi, deadline=DEADLINE)
    assert send_reminders(D(2024, 7, 3))["due"] == 1
    assert mail.outbox == []
    assert Notification.objects.get(user=reporter).emailed_at is None


def test_an_inactive_user_is_not_reminded(cast, hanoi):
    _, reporter, approver, _ = cast
    approver.is_active = False
    approver.save()
    task(hanoi, deadline=DEADLINE)
    assert send_reminders(D(2024, 7, 3))["due"] == 1
    assert keys(approver, "due") == set()


def test_reminders_read_in_the_same_few_queries_however_many_tasks(cast, hanoi, hcmc):
    monday = D(2024, 7, 8)

    def add_tasks(n):
        for i in range(n):
            lead = [hanoi, hcmc][i % 2]
            task(lead, deadline=monday + datetime.timedelta(days=i % 3), coordinating=[hcmc])

    def queries_of_a_second_run():
        send_reminders(monday)
        with CaptureQueriesContext(connection) as queries:
            assert send_reminders(monday) == {"due": 0, "passed": 0, "digest": 0}
        return len(queries)

    add_tasks(6)
    few = queries_of_a_second_run()
    add_tasks(30)
    assert queries_of_a_second_run() == few <= 12


def test_the_reminder_job_sends_todays_reminders(cast, hanoi):
    task(hanoi, deadline=timezone.localdate() + datetime.timedelta(days=1))
    assert send_reminders_job.call()["due"] == 2
    assert send_reminders_job.call(day="2024-01-01") == {"due": 0, "passed": 0, "digest": 0}


def test_the_schedule_enqueues_the_reminders_once_a_day_from_seven_oclock(db):
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assert schedule_reminders(today.replace(hour=6, minute=59)) is False
    assert schedule_reminders(today.replace(hour=7, minute=1)) is True
    assert schedule_reminders(today.replace(hour=9)) is False
    assert DBTaskResult.objects.filter(task_path=send_reminders_job.module_path).count() == 1
    assert schedule_reminders(today + datetime.timedelta(days=1, hours=7)) is True


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_an_enqueued_job_once_and_exits(registry):
    hanoi = Agency.objects.get(code="P01")
    reporter = create_user("hn.worker", "correct-horse-battery-9", Role.REPORTER, hanoi)
    task(hanoi, deadline=timezone.localdate() + datetime.timedelta(days=7))
    result = send_reminders_job.enqueue()
    call_command("worker", "--once", stdout=io.StringIO())
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", row.traceback
    # After 07:00 the pass also enqueued and ran today's scheduled reminders: nobody heard twice.
    assert sum(r.return_value["due"] for r in DBTaskResult.objects.all()) == 1
    assert Notification.objects.filter(user=reporter, kind="due").count() == 1
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
