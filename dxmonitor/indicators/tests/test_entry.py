"""Entering values and their workflow: validation, locking, conflicts, audit, and the outsider."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from dxmonitor.core import audit
from dxmonitor.indicators import services
from dxmonitor.indicators.models import Observation
from dxmonitor.indicators.services import (
    Conflict,
    approve_observation,
    record_observation,
    reopen_observation,
    return_observation,
    submit_observation,
)
from dxmonitor.indicators.tests.factories import approved, indicator


@pytest.fixture(autouse=True)
def english():
    # The messages' wording is checked in English; the Vietnamese catalogue is another engineer's.
    with translation.override("en"):
        yield


@pytest.fixture
def share(registry):
    return indicator(unit="%")


def messages(error: ValidationError) -> dict:
    return error.message_dict


def test_a_reporter_records_a_draft_value_for_their_own_agency(reporter, hanoi, share):
    observation = record_observation(reporter, share, hanoi, "2023", value=40.47, note="Số liệu ước tính")
    assert (observation.state, observation.source, observation.value) == ("draft", "reported", 40.47)
    assert (observation.period_start, observation.period_end) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
    )
    assert observation.entered_by == reporter and observation.note == "Số liệu ước tính"
    assert observation.definition.version == 1


def test_every_change_is_audited_with_who_before_and_after(reporter, hanoi, share):
    first = record_observation(reporter, share, hanoi, "2023", value=40)
    record_observation(reporter, share, hanoi, "2023", value=45, expected_version=first.version)
    update, create = audit.history(first)
    assert create.action == "create" and create.actor == reporter and create.after["value"] == 40
    assert update.action == "update" and (update.before["value"], update.after["value"]) == (40, 45)
    assert update.actor == reporter


def test_it_refuses_a_value_for_another_agency(outsider, hanoi, share):
    with pytest.raises(PermissionDenied):
        record_observation(outsider, share, hanoi, "2023", value=40)
    assert not Observation.objects.exists()


def test_leaders_read_but_record_nothing(leader, hanoi, share):
    with pytest.raises(PermissionDenied):
        record_observation(leader, share, hanoi, "2023", value=40)


def test_nothing_invalid_is_stored_and_each_field_says_what_to_fix(reporter, hanoi, share):
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023", value=120)
    assert "cannot be above 100%;" in messages(caught.value)["value"][0]
    assert "not a count" in messages(caught.value)["value"][0]
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023")
    assert messages(caught.value) == {"value": ["Enter a value."]}
    assert not Observation.objects.exists()


def test_a_count_cannot_be_negative(reporter, hanoi, registry):
    dossiers = indicator(unit="hồ sơ")
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, dossiers, hanoi, "2023", value=-5)
    assert messages(caught.value)["value"] == ["The value cannot be negative; enter 0 or more."]


def test_the_definitions_bounds_are_named_in_the_message(reporter, hanoi, registry):
    rank = indicator(unit="bậc", formula="value")
    services.define_indicator(None, rank, formula="value", min_value=1, max_value=193)
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, rank, hanoi, "2023", value=200)
    assert messages(caught.value)["value"] == [
        "200 is above the maximum of 193 for this indicator; check the figure and its unit."
    ]


def test_a_ratio_is_stored_with_its_value_and_checked_part_against_whole(reporter, hanoi, registry):
    online = indicator(unit="%", formula="ratio")
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, online, hanoi, "2023", numerator=120, denominator=100)
    assert "numerator (120) is larger than the denominator (100)" in messages(caught.value)["numerator"][0]
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, online, hanoi, "2023", numerator=0, denominator=0)
    assert messages(caught.value)["denominator"] == [
        "The denominator must be more than 0; enter the total count."
    ]
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, online, hanoi, "2023", numerator=5)
    assert messages(caught.value)["denominator"] == ["Enter the denominator: the total count."]
    observation = record_observation(reporter, online, hanoi, "2023", numerator=4047, denominator=10000)
    assert observation.value == pytest.approx(40.47)


def test_a_done_date_in_the_future_is_refused(reporter, hanoi, registry):
    plans = indicator(formula="share_of_agencies")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, plans, hanoi, "2023", done=True, done_on=tomorrow)
    assert "is in the future" in messages(caught.value)["done_on"][0]
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, plans, hanoi, "2023")
    assert "yes or no" in messages(caught.value)["done"][0]


def test_a_date_alone_means_done(reporter, hanoi, registry):
    plans = indicator(formula="share_of_agencies")
    observation = record_observation(reporter, plans, hanoi, "2023", done_on=datetime.date(2023, 3, 1))
    assert observation.done is True


def test_a_jump_against_the_previous_period_needs_a_comment_then_is_stored(
    secretariat, reporter, hanoi, share
):
    approved(secretariat, share, hanoi, "2022", value=30)
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023", value=75)
    message = messages(caught.value)["comment"][0]
    assert "from 30% to 75%" in message and "45 points" in message and "explain it in the comment" in message
    assert not Observation.objects.filter(period="2023").exists()
    observation = record_observation(
        reporter, share, hanoi, "2023", value=75, comment="Từ năm 2023 tính cả hồ sơ cấp xã."
    )
    assert observation.value == 75 and observation.comment.startswith("Từ năm 2023")


def test_two_edits_of_the_same_version_the_second_gets_a_conflict(reporter, approver, hanoi, share):
    loaded = record_observation(reporter, share, hanoi, "2023", value=40)
    record_observation(reporter, share, hanoi, "2023", value=41, expected_version=loaded.version)
    with pytest.raises(Conflict) as caught:
        record_observation(approver, share, hanoi, "2023", value=42, expected_version=loaded.version)
    assert "Someone else (hanoi.baocao) changed this value at" in caught.value.messages[0]
    assert "reload" in caught.value.messages[0]
    current = Observation.objects.get()
    assert (current.value, current.version) == (41, 2)
    assert len(audit.history(current)) == 2


def test_a_stale_version_cannot_move_a_value_through_the_workflow(reporter, hanoi, share):
    loaded = record_observation(reporter, share, hanoi, "2023", value=40)
    record_observation(reporter, share, hanoi, "2023", value=41)
    with pytest.raises(Conflict):
        submit_observation(reporter, loaded, expected_version=loaded.version)
    assert Observation.objects.get().state == "draft"


def test_a_submitted_value_waits_for_the_approver(reporter, hanoi, share):
    observation = submit_observation(reporter, record_observation(reporter, share, hanoi, "2023", value=40))
    assert observation.state == "submitted" and observation.submitted_at is not None
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023", value=41)
    assert "waits for approval" in caught.value.messages[0]
    with pytest.raises(PermissionDenied):
        approve_observation(reporter, observation)  # a reporter is not an approver


def test_an_approved_value_is_locked_and_changes_only_by_reopening_with_a_reason(
    reporter, approver, hanoi, share
):
    observation = submit_observation(reporter, record_observation(reporter, share, hanoi, "2023", value=40))
    observation = approve_observation(approver, observation)
    assert (observation.state, observation.approved_by) == ("approved", approver)
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023", value=41)
    assert "approved and locked" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        reopen_observation(approver, observation, "  ")
    assert "reason" in caught.value.message_dict
    observation = reopen_observation(approver, observation, "Bộ Công an điều chỉnh số liệu dân số")
    assert (observation.state, observation.approved_by) == ("draft", None)
    entry = audit.history(observation)[0]
    assert entry.actor == approver and entry.reason == "Bộ Công an điều chỉnh số liệu dân số"
    assert (entry.before["state"], entry.after["state"]) == ("approved", "draft")
    assert entry.before["approved_by_id"] == approver.pk
    assert record_observation(reporter, share, hanoi, "2023", value=41).value == 41


def test_a_returned_value_carries_the_comment_and_is_corrected_as_a_draft(reporter, approver, hanoi, share):
    observation = submit_observation(reporter, record_observation(reporter, share, hanoi, "2023", value=4))
    with pytest.raises(ValidationError) as caught:
        return_observation(approver, observation, "")
    assert caught.value.message_dict["comment"] == ["Say what to correct: the reporter sees this comment."]
    observation = return_observation(approver, observation, "Thiếu số 0: 40% chứ không phải 4%?")
    assert (observation.state, observation.review_comment) == (
        "returned",
        "Thiếu số 0: 40% chứ không phải 4%?",
    )
    assert audit.history(observation)[0].reason == "Thiếu số 0: 40% chứ không phải 4%?"
    corrected = record_observation(reporter, share, hanoi, "2023", value=40)
    assert corrected.state == "draft" and corrected.review_comment
    assert submit_observation(reporter, corrected).state == "submitted"


def test_only_a_submitted_value_can_be_approved(approver, hanoi, share):
    draft = record_observation(approver, share, hanoi, "2023", value=40)
    with pytest.raises(ValidationError) as caught:
        approve_observation(approver, draft)
    assert "reporter submits it first" in caught.value.messages[0]


def test_an_outsider_cannot_submit_approve_return_or_reopen_another_agencys_value(
    reporter, approver, outsider, hanoi, hcmc, share
):
    from dxmonitor.accounts.models import Role
    from dxmonitor.accounts.services import create_user

    hcmc_approver = create_user("hcm.duyet", "x-long-password-1", Role.APPROVER, hcmc)
    observation = submit_observation(reporter, record_observation(reporter, share, hanoi, "2023", value=40))
    for actor in (outsider, hcmc_approver):
        with pytest.raises(PermissionDenied):
            submit_observation(actor, observation)
        with pytest.raises(PermissionDenied):
            approve_observation(actor, observation)
        with pytest.raises(PermissionDenied):
            return_observation(actor, observation, "Sai")
    observation = approve_observation(approver, observation)
    with pytest.raises(PermissionDenied):
        reopen_observation(hcmc_approver, observation, "Sai")
    assert Observation.objects.get().state == "approved"
    assert len(audit.history(observation)) == 3


def test_the_lead_agency_reports_the_national_value_and_others_do_not(registry, outsider):
    from dxmonitor.accounts.models import Role
    from dxmonitor.accounts.services import create_user
    from dxmonitor.agencies.models import Agency

    mic, nation = Agency.objects.get(code="BTTTT"), Agency.objects.get(code="VN")
    fibre = indicator(lead=[mic])
    mic_reporter = create_user("btttt.baocao", "x-long-password-1", Role.REPORTER, mic)
    mic_approver = create_user("btttt.duyet", "x-long-password-1", Role.APPROVER, mic)
    observation = record_observation(mic_reporter, fibre, nation, "2023", value=80.2)
    with pytest.raises(PermissionDenied):
        record_observation(outsider, fibre, nation, "2023", value=99)
    observation = approve_observation(mic_approver, submit_observation(mic_reporter, observation))
    assert observation.state == "approved"


def test_a_computed_indicator_is_not_entered_by_hand(reporter, hanoi, registry):
    dossiers = indicator(formula="computed")
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, dossiers, hanoi, "2023", value=50)
    assert "computed from the records" in caught.value.message_dict["value"][0]


def test_a_value_for_a_round_must_belong_to_it(secretariat, reporter, hanoi, hcmc, share):
    other = indicator()
    round_ = services.open_round(
        secretariat,
        title="Báo cáo năm 2023",
        period="2023",
        due_date=datetime.date(2024, 1, 15),
        indicators=[share],
        agencies=[hcmc],
    )
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023", value=40, round=round_)
    assert "is not among the agencies that report" in caught.value.message_dict["round"][0]
    round_.agencies.add(hanoi)
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, other, hanoi, "2023", value=40, round=round_)
    assert "not reported in the round" in caught.value.message_dict["round"][0]
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "2023-Q1", value=40, round=round_)
    assert "is for 2023, not 2023-Q1" in caught.value.message_dict["round"][0]
    assert record_observation(reporter, share, hanoi, "2023", value=40, round=round_).round == round_


def test_a_period_that_is_not_one_says_how_to_write_it(reporter, hanoi, share):
    with pytest.raises(ValidationError) as caught:
        record_observation(reporter, share, hanoi, "năm 2023", value=40)
    assert "write 2023, 2023-H1, 2023-Q2 or 2023-06" in caught.value.message_dict["period"][0]


def test_only_the_secretariat_sets_targets_and_each_change_is_audited(secretariat, reporter, share):
    with pytest.raises(PermissionDenied):
        services.set_target(reporter, share, "2023", value=50)
    target = services.set_target(secretariat, share, "2023", value=50, text="Trên 50%")
    assert (target.agency.code, target.comparator, target.value) == ("VN", ">=", 50)
    with pytest.raises(ValidationError) as caught:
        services.set_target(secretariat, share, "2023", value=150)
    assert "cannot be above 100%;" in caught.value.message_dict["value"][0]
    with pytest.raises(ValidationError) as caught:
        services.set_target(secretariat, share, "2023", comparator="by_date")
    assert caught.value.message_dict["value_date"] == ["A target “by a date” needs the date."]
    services.set_target(secretariat, share, "2023", value=60, expected_version=target.version)
    with pytest.raises(Conflict):
        services.set_target(secretariat, share, "2023", value=70, expected_version=target.version)
    entry = audit.history(target)[0]
    assert (entry.before["value"], entry.after["value"], entry.actor) == (50, 60, secretariat)


def test_a_value_is_for_one_agency_that_existed_in_the_period(secretariat, share):
    from dxmonitor.agencies.models import Agency

    with pytest.raises(ValidationError) as caught:
        record_observation(secretariat, share, Agency.objects.get(code="ALL_PROVINCES"), "2023", value=40)
    assert "names a group of agencies" in caught.value.message_dict["agency"][0]
    merged = Agency.objects.filter(kind="province", valid_to__isnull=False).order_by("code").first()
    with pytest.raises(ValidationError) as caught:
        record_observation(secretariat, share, merged, "2026", value=40)
    assert "did not exist in 2026" in caught.value.message_dict["agency"][0]
    assert record_observation(secretariat, share, merged, "2024", value=40).value == 40


def test_a_version_for_a_value_nobody_entered_is_a_conflict(reporter, hanoi, share):
    with pytest.raises(Conflict) as caught:
        record_observation(reporter, share, hanoi, "2023", value=40, expected_version=3)
    assert "reload" in caught.value.messages[0]
    assert not Observation.objects.exists()
