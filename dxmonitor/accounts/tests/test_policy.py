from django.contrib.auth.models import AnonymousUser

from dxmonitor.accounts import policy
from dxmonitor.accounts.models import ApiToken


def test_the_secretariat_administers_and_acts_for_every_agency(secretariat, hanoi):
    assert policy.administer(secretariat)
    assert policy.view_agency_data(secretariat, hanoi)
    assert policy.report_for_agency(secretariat, hanoi)
    assert policy.approve_for_agency(secretariat, hanoi)


def test_a_leader_reads_everything_and_changes_nothing(leader, hanoi):
    assert policy.view_agency_data(leader, hanoi)
    assert not policy.report_for_agency(leader, hanoi)
    assert not policy.approve_for_agency(leader, hanoi)
    assert not policy.administer(leader)


def test_a_reporter_reports_for_their_agency_but_does_not_approve(reporter, hanoi):
    assert policy.view_agency_data(reporter, hanoi)
    assert policy.report_for_agency(reporter, hanoi)
    assert not policy.approve_for_agency(reporter, hanoi)
    assert not policy.administer(reporter)


def test_an_approver_approves_for_their_agency(approver, hanoi):
    assert policy.approve_for_agency(approver, hanoi)


def test_an_outsider_does_nothing_for_another_agency(outsider, hanoi, hcmc):
    assert policy.view_registry(outsider)
    assert not policy.view_agency_data(outsider, hanoi)
    assert not policy.report_for_agency(outsider, hanoi)
    assert not policy.approve_for_agency(outsider, hanoi)
    assert policy.report_for_agency(outsider, hcmc)


def test_the_anonymous_public_sees_no_agency_data(hanoi):
    anonymous = AnonymousUser()
    assert not policy.view_registry(anonymous)
    assert not policy.view_agency_data(anonymous, hanoi)
    assert not policy.report_for_agency(anonymous, hanoi)


def test_a_deactivated_account_loses_its_rights(reporter, hanoi):
    reporter.is_active = False
    assert not policy.report_for_agency(reporter, hanoi)
    assert not policy.view_agency_data(reporter, hanoi)


def test_scope_by_agency_keeps_only_the_users_own_rows(reporter, outsider, leader, hanoi):
    from dxmonitor.accounts.models import User

    rows = User.objects.filter(agency__isnull=False)
    assert set(policy.scope_by_agency(reporter, rows).values_list("agency", flat=True)) == {hanoi.pk}
    assert policy.scope_by_agency(leader, rows).count() == 2
    assert policy.scope_by_agency(AnonymousUser(), rows).count() == 0


def test_only_the_owner_or_the_secretariat_manages_a_token(reporter, outsider, secretariat):
    token, _ = ApiToken.issue(reporter, "system")
    assert policy.manage_token(reporter, token)
    assert policy.manage_token(secretariat, token)
    assert not policy.manage_token(outsider, token)
