"""The records clerks' review workflow (reports.workflow.report_transition and friends):
which steps staff may take, what each step records, the gap-free case numbers, the
resident's status emails and the report's history."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.utils import timezone

from reports import rules
from reports.copies import casefiles
from reports.enums import ReportStatus
from reports.filing import services
from reports.models import (
    CaseCopy,
    CaseNumberCounter,
    InternalNote,
    RejectionReason,
    Report,
    StatusChange,
)
from reports.review import workflow
from reports.review.workflow import TransitionError
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

STATUSES = [status.value for status in ReportStatus]
NARRATIVE = "Someone cut the lock and took my bike from the rack outside."
QUESTION = "What colour was the bike, and where exactly was it locked?"


# --- Helpers ----------------------------------------------------------------------------


def staff_in(group_name: str, username: str) -> User:
    """A member of staff in one of the groups the data migration made."""
    user = User.objects.create_user(username, f"{username}@police.example", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def clerk():
    return staff_in("Clerks", "clerk.jones")


@pytest.fixture
def supervisor():
    return staff_in("Supervisors", "supervisor.berg")


@pytest.fixture
def officer():
    return staff_in("Officers", "officer.kim")


@pytest.fixture
def reason():
    return RejectionReason.objects.get(code="outside_city")


def needs_for(to_status: str, reason: RejectionReason) -> dict:
    """What a step to `to_status` must come with: a question, a reason, an original."""
    if to_status == ReportStatus.NEEDS_INFO:
        return {"message": QUESTION}
    if to_status == ReportStatus.REJECTED:
        return {"reason": reason, "message": "Please call the county sheriff."}
    if to_status == ReportStatus.DUPLICATE:
        return {"duplicate_of": ReportFactory(), "message": "Already reported."}
    return {"message": "Thank you."}


def expected_case_number(sequence: int) -> str:
    year = timezone.localdate().year % 100
    return f"{settings.CASE_NUMBER_PREFIX}-{year:02d}-{sequence:06d}"


def snapshot(report: Report) -> dict:
    report.refresh_from_db()
    return {
        "status": report.status,
        "version": report.version,
        "case_number": report.case_number,
        "assigned_to": report.assigned_to_id,
        "decided_at": report.decided_at,
        "duplicate_of": report.duplicate_of_id,
        "status_changes": report.status_changes.count(),
        "copies": report.copies.count(),
    }


# --- Allowed steps ------------------------------------------------------------------------

ALLOWED = [("clerk", pair) for pair in sorted(rules.CLERK_TRANSITIONS)] + [
    ("supervisor", pair) for pair in sorted(rules.SUPERVISOR_TRANSITIONS)
]


@pytest.mark.parametrize(
    ("role", "pair"), ALLOWED, ids=[f"{role}:{a}->{b}" for role, (a, b) in ALLOWED]
)
def test_an_allowed_step_moves_the_report_and_records_who_did_what(request, role, pair, reason):
    from_status, to_status = pair
    actor = request.getfixturevalue(role)
    report = ReportFactory(status=from_status, version=3)
    extras = needs_for(to_status, reason)

    updated = workflow.report_transition(report=report, actor=actor, to_status=to_status, **extras)

    report.refresh_from_db()
    assert updated.status == report.status == to_status
    assert report.version == 4
    change = StatusChange.objects.get(report=report)
    assert (change.actor, change.from_status, change.to_status) == (actor, from_status, to_status)
    assert change.message == extras["message"]
    assert change.at is not None
    copy = CaseCopy.objects.get(report=report, version=4)
    assert copy.state == "pending"


def test_every_step_of_a_report_leaves_one_row_in_order(clerk, reason):
    report = ReportFactory()

    workflow.report_claim(report=report, actor=clerk)
    workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=QUESTION
    )
    workflow.report_transition(report=report, actor=None, to_status=ReportStatus.IN_REVIEW)
    workflow.report_transition(report=report, actor=clerk, to_status=ReportStatus.APPROVED)

    steps = list(StatusChange.objects.filter(report=report).values_list("from_status", "to_status"))
    assert steps == [
        ("submitted", "in_review"),
        ("in_review", "needs_info"),
        ("needs_info", "in_review"),
        ("in_review", "approved"),
    ]
    report.refresh_from_db()
    assert report.version == 5
    assert sorted(report.copies.values_list("version", flat=True)) == [2, 3, 4, 5]


# --- Forbidden steps ----------------------------------------------------------------------

_ALLOWED_FOR = {
    "clerk": rules.CLERK_TRANSITIONS,
    "supervisor": rules.CLERK_TRANSITIONS | rules.SUPERVISOR_TRANSITIONS,
}
FORBIDDEN = [
    (role, pair)
    for role, allowed in _ALLOWED_FOR.items()
    for pair in itertools.product(STATUSES, STATUSES)
    if pair not in allowed
]


@pytest.mark.parametrize(
    ("role", "pair"), FORBIDDEN, ids=[f"{role}:{a}->{b}" for role, (a, b) in FORBIDDEN]
)
def test_a_forbidden_step_is_refused_and_changes_nothing(request, role, pair, reason):
    from_status, to_status = pair
    actor = request.getfixturevalue(role)
    report = ReportFactory(status=from_status, version=2)
    before = snapshot(report)

    with pytest.raises(TransitionError):
        workflow.report_transition(
            report=report, actor=actor, to_status=to_status, **needs_for(to_status, reason)
        )

    assert snapshot(report) == before
    assert not StatusChange.objects.filter(report=report).exists()


def test_the_forbidden_table_covers_every_pair_not_allowed():
    assert len(STATUSES) == 7
    assert len([p for r, p in FORBIDDEN if r == "clerk"]) == 49 - len(rules.CLERK_TRANSITIONS)
    assert len([p for r, p in FORBIDDEN if r == "supervisor"]) == 49 - 7


@pytest.mark.parametrize(
    ("pair", "allowed"),
    [
        ((a, b), (a, b) in rules.RESIDENT_TRANSITIONS | rules.SYSTEM_TRANSITIONS)
        for a, b in itertools.product(STATUSES, STATUSES)
    ],
    ids=lambda value: "->".join(value) if isinstance(value, tuple) else str(value),
)
def test_without_a_person_only_the_residents_answer_and_the_clock_may_move_a_report(pair, allowed):
    from_status, to_status = pair
    report = ReportFactory(status=from_status)

    if allowed:
        workflow.report_transition(report=report, actor=None, to_status=to_status)
        assert StatusChange.objects.get(report=report).actor is None
    else:
        with pytest.raises(TransitionError):
            workflow.report_transition(report=report, actor=None, to_status=to_status)
        assert not StatusChange.objects.filter(report=report).exists()

    report.refresh_from_db()
    assert report.status == (to_status if allowed else from_status)


def test_staff_without_the_review_permission_cannot_take_even_an_allowed_step(officer):
    report = ReportFactory()

    with pytest.raises(TransitionError):
        workflow.report_claim(report=report, actor=officer)

    report.refresh_from_db()
    assert (report.status, report.assigned_to) == ("submitted", None)


@pytest.mark.parametrize("from_status", ["rejected", "duplicate"])
def test_clerks_cannot_reopen_a_decided_report_but_supervisors_can(clerk, supervisor, from_status):
    report = ReportFactory(status=from_status)

    with pytest.raises(TransitionError):
        workflow.report_transition(report=report, actor=clerk, to_status=ReportStatus.IN_REVIEW)
    report.refresh_from_db()
    assert report.status == from_status

    workflow.report_transition(report=report, actor=supervisor, to_status=ReportStatus.IN_REVIEW)
    report.refresh_from_db()
    assert report.status == "in_review"
    assert StatusChange.objects.get(report=report).actor == supervisor


# --- What a step must come with -----------------------------------------------------------


@pytest.mark.parametrize("message", ["", "   \n  "])
def test_asking_for_information_without_a_question_is_refused(clerk, message):
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    with pytest.raises(TransitionError, match="question"):
        workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=message
        )

    report.refresh_from_db()
    assert report.status == "in_review"
    assert not report.status_changes.exists()


def test_the_question_is_kept_without_surrounding_blanks(clerk):
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=f"  {QUESTION}\n"
    )

    assert report.status_changes.get().message == QUESTION


def test_not_accepting_without_a_reason_is_refused(clerk):
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    with pytest.raises(TransitionError, match="reason"):
        workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.REJECTED, message="No."
        )

    report.refresh_from_db()
    assert (report.status, report.decided_at) == ("in_review", None)
    assert not report.status_changes.exists()


def test_not_accepting_with_a_reason_records_it_and_the_internal_note(clerk, reason):
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    workflow.report_transition(
        report=report,
        actor=clerk,
        to_status=ReportStatus.REJECTED,
        reason=reason,
        note="  Caller sounded confused.  ",
    )

    report.refresh_from_db()
    change = report.status_changes.get()
    assert (change.reason, change.note) == (reason, "Caller sounded confused.")
    assert report.status == "rejected"
    assert report.decided_at is not None


@pytest.mark.parametrize("original", ["none", "itself"])
def test_marking_a_duplicate_needs_another_report_as_the_original(clerk, original):
    report = ReportFactory(status=ReportStatus.IN_REVIEW)
    duplicate_of = None if original == "none" else report

    with pytest.raises(TransitionError, match="original"):
        workflow.report_transition(
            report=report,
            actor=clerk,
            to_status=ReportStatus.DUPLICATE,
            duplicate_of=duplicate_of,
        )

    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == ("in_review", None)
    assert not report.status_changes.exists()


def test_marking_a_duplicate_of_a_real_report_points_at_it(clerk):
    original = ReportFactory(status=ReportStatus.APPROVED)
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.DUPLICATE, duplicate_of=original
    )

    report.refresh_from_db()
    assert report.duplicate_of == original
    assert report.status == "duplicate"
    assert list(original.duplicates.all()) == [report]


def test_claiming_assigns_the_report_to_the_clerk(clerk):
    report = ReportFactory()

    workflow.report_claim(report=report, actor=clerk)

    report.refresh_from_db()
    assert (report.status, report.assigned_to) == ("in_review", clerk)
    assert list(clerk.assigned_reports.all()) == [report]


def test_only_the_first_claim_wins(clerk):
    other = staff_in("Clerks", "clerk.smith")
    report = ReportFactory()
    workflow.report_claim(report=report, actor=clerk)

    with pytest.raises(TransitionError):
        workflow.report_claim(report=report, actor=other)

    report.refresh_from_db()
    assert report.assigned_to == clerk


def test_later_steps_by_another_clerk_keep_the_assignee(clerk):
    other = staff_in("Clerks", "clerk.smith")
    report = ReportFactory()
    workflow.report_claim(report=report, actor=clerk)

    workflow.report_transition(report=report, actor=other, to_status=ReportStatus.APPROVED)

    report.refresh_from_db()
    assert report.assigned_to == clerk
    assert report.status_changes.last().actor == other


def test_only_supervisors_reassign(clerk, supervisor):
    report = ReportFactory(status=ReportStatus.IN_REVIEW, assigned_to=clerk)
    other = staff_in("Clerks", "clerk.smith")

    with pytest.raises(TransitionError):
        workflow.report_reassign(report=report, actor=clerk, assignee=other)
    report.refresh_from_db()
    assert report.assigned_to == clerk

    workflow.report_reassign(report=report, actor=supervisor, assignee=other)
    report.refresh_from_db()
    assert report.assigned_to == other


# --- Case numbers -------------------------------------------------------------------------


def test_approvals_get_consecutive_case_numbers_of_the_agency_and_year(clerk):
    reports = ReportFactory.create_batch(3, status=ReportStatus.IN_REVIEW)

    numbers = [
        workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.APPROVED
        ).case_number
        for report in reports
    ]

    assert numbers == [expected_case_number(n) for n in (1, 2, 3)]
    assert numbers[0] == f"MP-{timezone.localdate().year % 100:02d}-000001"
    stored = [Report.objects.get(pk=r.pk).case_number for r in reports]
    assert stored == numbers
    assert CaseNumberCounter.objects.get(year=timezone.localdate().year).last_number == 3


def test_the_case_number_prefix_comes_from_the_settings(clerk, settings):
    settings.CASE_NUMBER_PREFIX = "SP"
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    approved = workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.APPROVED
    )

    assert approved.case_number == f"SP-{timezone.localdate().year % 100:02d}-000001"


def test_each_year_counts_its_own_case_numbers(clerk):
    this_year = timezone.localdate().year
    CaseNumberCounter.objects.create(year=this_year - 1, last_number=977)
    CaseNumberCounter.objects.create(year=this_year, last_number=41)
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    approved = workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.APPROVED
    )

    assert approved.case_number == expected_case_number(42)
    assert CaseNumberCounter.objects.get(year=this_year - 1).last_number == 977


@pytest.mark.parametrize("to_status", ["needs_info", "rejected", "duplicate"])
def test_only_approval_gives_a_case_number(clerk, reason, to_status):
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    workflow.report_transition(
        report=report, actor=clerk, to_status=to_status, **needs_for(to_status, reason)
    )

    report.refresh_from_db()
    assert report.case_number is None
    assert not CaseNumberCounter.objects.exists()


def test_a_refused_approval_uses_no_case_number(clerk):
    refused = ReportFactory(status=ReportStatus.SUBMITTED)
    with pytest.raises(TransitionError):
        workflow.report_transition(report=refused, actor=clerk, to_status=ReportStatus.APPROVED)
    report = ReportFactory(status=ReportStatus.IN_REVIEW)

    approved = workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.APPROVED
    )

    assert approved.case_number == expected_case_number(1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_get_unique_gap_free_case_numbers():
    # A real commit per approval: the transactional test flushes the data migration's
    # groups, so the clerk gets the one permission directly.
    clerk = User.objects.create_user("clerk.race", is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="review_report", content_type__app_label="reports")
    )
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.has_perm("reports.review_report")
    reports = ReportFactory.create_batch(20, status=ReportStatus.IN_REVIEW)
    barrier = threading.Barrier(len(reports))
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def approve(report):
        try:
            barrier.wait(timeout=30)
            approved = workflow.report_transition(
                report=report, actor=clerk, to_status=ReportStatus.APPROVED
            )
            with lock:
                numbers.append(approved.case_number)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(numbers) == [expected_case_number(n) for n in range(1, 21)]
    stored = sorted(Report.objects.values_list("case_number", flat=True))
    assert stored == sorted(numbers)
    assert StatusChange.objects.filter(to_status="approved").count() == 20
    assert CaseNumberCounter.objects.get(year=timezone.localdate().year).last_number == 20


# --- The resident's answer ----------------------------------------------------------------


def test_the_residents_supplement_sends_a_report_waiting_for_information_back_to_review(
    clerk,
):
    report = ReportFactory()
    workflow.report_claim(report=report, actor=clerk)
    workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=QUESTION
    )

    services.supplement_add(report=report, narrative="It was a red Trek, locked at the rack.")

    report.refresh_from_db()
    assert report.status == "in_review"
    last = report.status_changes.last()
    assert (last.actor, last.from_status, last.to_status) == (None, "needs_info", "in_review")
    assert report.supplements.get().narrative == "It was a red Trek, locked at the rack."


# --- Emails -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "pair"), ALLOWED, ids=[f"{role}:{a}->{b}" for role, (a, b) in ALLOWED]
)
def test_each_step_sends_one_status_email_to_the_resident_after_commit(
    request, role, pair, reason, mailoutbox, django_capture_on_commit_callbacks
):
    from_status, to_status = pair
    actor = request.getfixturevalue(role)
    report = ReportFactory(status=from_status, reporter_email="ana.lopez@example.org")

    with django_capture_on_commit_callbacks() as callbacks:
        workflow.report_transition(
            report=report, actor=actor, to_status=to_status, **needs_for(to_status, reason)
        )
        assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    report.refresh_from_db()
    label = str(ReportStatus(to_status).label)
    assert email.to == ["ana.lopez@example.org"]
    assert report.tracking_number in email.subject
    assert label in email.subject
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert report.tracking_number in body
        assert NARRATIVE not in body
        assert "took my bike" not in body
    if to_status == ReportStatus.APPROVED:
        assert report.case_number
        assert report.case_number in email.body
        assert report.case_number in html


def test_no_email_when_a_step_is_refused(clerk, mailoutbox, django_capture_on_commit_callbacks):
    report = ReportFactory(status=ReportStatus.SUBMITTED)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionError),
    ):
        workflow.report_transition(report=report, actor=clerk, to_status=ReportStatus.APPROVED)

    assert callbacks == []
    assert mailoutbox == []


# --- History ------------------------------------------------------------------------------


def test_a_step_leaves_a_row_in_the_reports_history(clerk):
    report = ReportFactory()
    before = report.history.count()

    workflow.report_claim(report=report, actor=clerk)

    assert report.history.count() == before + 1
    latest = report.history.first()
    assert (latest.status, latest.assigned_to_id) == ("in_review", clerk.pk)
    assert latest.prev_record.status == "submitted"


def test_a_nibrs_correction_is_kept_in_the_history_and_as_an_internal_note(clerk):
    report = ReportFactory(report_type="theft", nibrs_code="23H")
    before = report.history.count()

    workflow.report_correct_nibrs(
        report=report, actor=clerk, code=" 23c ", note="Taken from a store."
    )

    report.refresh_from_db()
    assert report.nibrs_code == "23C"
    assert report.history.count() == before + 1
    latest = report.history.first()
    assert latest.nibrs_code == "23C"
    assert latest.prev_record.nibrs_code == "23H"
    assert "23H" in latest.history_change_reason
    assert "23C" in latest.history_change_reason
    note = InternalNote.objects.get(report=report)
    assert note.author == clerk
    assert "23H" in note.text
    assert "23C" in note.text
    assert "Taken from a store." in note.text


def test_the_case_copy_shows_the_corrected_nibrs_code(clerk):
    report = ReportFactory(report_type="theft", nibrs_code="23H")

    workflow.report_correct_nibrs(report=report, actor=clerk, code="23C")

    context = casefiles.casefile_context(Report.objects.get(pk=report.pk))
    assert context["nibrs_code"] == "23C"
    assert context["machine_readable"]["nibrs_code"] == "23C"


@pytest.mark.parametrize("code", ["", "   ", "23H-1", "ABCDE", "2 3"])
def test_a_malformed_nibrs_code_is_refused(clerk, code):
    report = ReportFactory(nibrs_code="23H")
    before = report.history.count()

    with pytest.raises(TransitionError):
        workflow.report_correct_nibrs(report=report, actor=clerk, code=code)

    report.refresh_from_db()
    assert report.nibrs_code == "23H"
    assert report.history.count() == before
    assert not InternalNote.objects.filter(report=report).exists()


def test_an_internal_note_needs_words(clerk):
    report = ReportFactory()

    with pytest.raises(TransitionError):
        workflow.note_add(report=report, author=clerk, text="   ")
    note = workflow.note_add(report=report, author=clerk, text="  Called the resident.  ")

    assert list(report.notes.values_list("text", flat=True)) == ["Called the resident."]
    assert note.author == clerk


def test_regenerating_copies_bumps_each_version_and_asks_for_a_copy(clerk):
    reports = ReportFactory.create_batch(2, version=4)

    count = workflow.copies_regenerate(
        reports=Report.objects.filter(pk__in=[r.pk for r in reports])
    )

    assert count == 2
    for report in reports:
        report.refresh_from_db()
        assert report.version == 5
        assert report.copies.get(version=5).state == "pending"
