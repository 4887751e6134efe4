"""Opening a call, answering it, submitting on time and late, and every refusal leaving data as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from hrcoop.consultations import services
from hrcoop.consultations.models import Answer, Call, Submission, SubmissionAttachment
from hrcoop.consultations.services import QuestionSpec
from hrcoop.consultations.tasks import send_deadline_reminders
from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent, Role
from tests.consultations.conftest import NGO_WORDS, PUBLIC_WORDS, World, open_test_call
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        Call.objects.count(),
        Submission.objects.count(),
        Answer.objects.count(),
        SubmissionAttachment.objects.count(),
        AuditEvent.objects.count(),
    )


def pdf(name: str = "note.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% a note verbale\n", content_type="application/pdf")


def test_a_focal_point_answers_in_french_and_submits(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    focal = world.users["focal"]
    text_q, choice_q, number_q = world.questions
    submission = services.start_submission(world.call, actor=focal, state=world.state, language="fr")
    text = services.save_answer(
        submission,
        actor=focal,
        question=text_q,
        value="Notre mécanisme national coordonne les rapports et le suivi des recommandations.",
    )
    services.save_answer(submission, actor=focal, question=choice_q, value="Yes", keep_unpublished=True)
    number = services.save_answer(submission, actor=focal, question=number_q, value="42,5")
    services.attach_document(submission, actor=focal, upload=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission, actor=focal)

    submission.refresh_from_db()
    text.refresh_from_db()
    assert (text.language, text.language_detected) == ("fr", True)
    assert text.vector is not None and len(bytes(text.vector)) == 512
    assert str(number.number) == "42.5"
    assert submission.status == Submission.Status.SUBMITTED and not submission.late
    assert submission.kind == Submission.Kind.STATE and submission.respondent == "France"
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]
    actions = list(
        AuditEvent.objects.filter(action__startswith="consultations.").values_list("action", flat=True)
    )
    assert actions == [
        "consultations.call_opened",
        "consultations.invited",
        "consultations.submission_started",
        "consultations.answer_saved",
        "consultations.answer_saved",
        "consultations.answer_saved",
        "consultations.document_attached",
        "consultations.submitted",
    ]
    assert verify_audit_chain() == []


def test_the_acknowledgement_is_in_the_respondents_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    focal = world.users["focal"]
    submission = services.start_submission(world.call, actor=focal, state=world.state, language="fr")
    services.save_answer(submission, actor=focal, question=world.questions[1], value="No")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission, actor=focal)
    assert mail.outbox[0].subject.startswith("[hrcoop] Soumission reçue")


def test_an_answer_after_the_deadline_is_taken_and_marked_late(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    ngo = world.users["ngo"]
    Call.objects.filter(pk=world.call.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    submission = services.start_submission(world.call, actor=ngo, language="en")
    services.save_answer(submission, actor=ngo, question=world.questions[0], value=NGO_WORDS, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission, actor=ngo)
    submission.refresh_from_db()
    assert submission.late and submission.kind == Submission.Kind.ORGANISATION
    assert submission.respondent == "Cooperation Watch"
    assert "late" in mail.outbox[0].body


def test_a_closed_call_refuses_every_answer_and_nothing_changes(world: World) -> None:
    focal = world.users["focal"]
    submission = services.start_submission(world.call, actor=focal, state=world.state)
    services.save_answer(submission, actor=focal, question=world.questions[1], value="Yes")
    services.close_call(world.call, actor=world.users["desk"])
    before = snapshot()
    with pytest.raises(Conflict, match="closed"):
        services.save_answer(submission, actor=focal, question=world.questions[0], value=PUBLIC_WORDS)
    with pytest.raises(Conflict, match="closed"):
        services.submit(submission, actor=focal)
    with pytest.raises(Conflict, match="closed"):
        services.start_submission(world.call, actor=world.users["ngo"])
    assert snapshot() == before
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_an_answer_to_a_question_of_another_call_is_refused(world: World) -> None:
    other = open_test_call(world.mandate, world.users["desk"])
    focal = world.users["focal"]
    submission = services.start_submission(world.call, actor=focal, state=world.state)
    before = snapshot()
    with pytest.raises(InvalidInput, match="belongs to another call"):
        services.save_answer(submission, actor=focal, question=other.questions.first(), value="Yes")  # type: ignore[arg-type]
    assert snapshot() == before


def test_someone_not_invited_is_refused(world: World) -> None:
    before = snapshot()
    with pytest.raises(Forbidden, match="not invited"):
        services.start_submission(world.call, actor=world.users["stranger"])
    with pytest.raises(Forbidden, match="not a focal point of France"):
        services.start_submission(world.call, actor=world.users["other_focal"], state=world.state)
    assert snapshot() == before


def test_states_cannot_answer_a_call_closed_to_them(world: World) -> None:
    call = open_test_call(world.mandate, world.users["desk"], open_to_states=False)
    with pytest.raises(Forbidden, match="does not ask States"):
        services.start_submission(call, actor=world.users["focal"], state=world.state)


def test_another_states_focal_point_cannot_change_a_submission(world: World) -> None:
    submission = services.start_submission(world.call, actor=world.users["focal"], state=world.state)
    before = snapshot()
    with pytest.raises(Forbidden, match="not yours"):
        services.save_answer(
            submission, actor=world.users["other_focal"], question=world.questions[1], value="No"
        )
    assert snapshot() == before


def test_the_state_answers_once_whoever_of_its_focal_points_starts(world: World) -> None:
    colleague = make_user("colleague", Role.STATE_FOCAL_POINT, "FRA", password="pw-colleague")
    first = services.start_submission(world.call, actor=world.users["focal"], state=world.state)
    second = services.start_submission(world.call, actor=colleague, state=world.state)
    assert first.pk == second.pk


@pytest.mark.parametrize(
    ("position", "value", "language", "message"),
    [
        (0, "   ", "", "empty"),
        (1, "Perhaps", "", "not one of its options"),
        (2, "forty", "", "asks for a number"),
        (2, "1e40", "", "out of range"),
        (0, "Международное сотрудничество важно для прав человека", "", "accepts answers in"),
        (0, "International cooperation", "ar", "accepts answers in"),
    ],
)
def test_bad_answers_are_refused_with_a_reason(
    world: World, position: int, value: str, language: str, message: str
) -> None:
    submission = services.start_submission(world.call, actor=world.users["focal"], state=world.state)
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        services.save_answer(
            submission,
            actor=world.users["focal"],
            question=world.questions[position],
            value=value,
            language=language,
        )
    assert snapshot() == before


def test_a_submitted_submission_no_longer_changes(world: World) -> None:
    focal = world.users["focal"]
    submission = services.start_submission(world.call, actor=focal, state=world.state)
    with pytest.raises(InvalidInput, match="at least one question"):
        services.submit(submission, actor=focal)
    services.save_answer(submission, actor=focal, question=world.questions[1], value="Yes")
    services.submit(submission, actor=focal)
    with pytest.raises(Conflict, match="already submitted"):
        services.save_answer(submission, actor=focal, question=world.questions[1], value="No")
    assert Answer.objects.get().choice == "Yes"


def test_an_executable_attachment_is_refused(world: World) -> None:
    submission = services.start_submission(world.call, actor=world.users["focal"], state=world.state)
    before = snapshot()
    with pytest.raises(InvalidInput, match="program"):
        services.attach_document(
            submission, actor=world.users["focal"], upload=SimpleUploadedFile("note.txt", b"MZ\x90\x00binary")
        )
    assert snapshot() == before


def test_only_the_secretariat_opens_and_closes_calls(world: World) -> None:
    before = snapshot()
    with pytest.raises(Forbidden):
        open_test_call(world.mandate, world.users["focal"])
    with pytest.raises(Forbidden):
        services.close_call(world.call, actor=world.users["ngo"])
    assert snapshot() == before


def test_a_call_needs_valid_questions_and_languages(world: World) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="at least two options"):
        services.open_call(
            actor=world.users["desk"], mandate=world.mandate, title="t",
            deadline=timezone.now(), questions=[QuestionSpec(kind="choice", text="?", choices=["Yes"])],
            languages=["en"],
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="accepted languages"):
        services.open_call(
            actor=world.users["desk"], mandate=world.mandate, title="t",
            deadline=timezone.now(), questions=[QuestionSpec(kind="text", text="?")], languages=["de"],
        )  # fmt: skip
    assert snapshot() == before


def test_reminders_reach_invitees_who_have_not_answered_in_their_language(world: World) -> None:
    Call.objects.filter(pk=world.call.pk).update(deadline=timezone.now() + dt.timedelta(days=3))
    result = send_deadline_reminders.call()
    assert result == {"calls": 1, "emails": 1}
    assert mail.outbox[0].to == ["invitee@example.org"]
    assert mail.outbox[0].subject.startswith("[hrcoop] Rappel")

    mail.outbox.clear()
    invitee = world.users["invitee"]
    submission = services.start_submission(world.call, actor=invitee, language="fr")
    services.save_answer(submission, actor=invitee, question=world.questions[1], value="No")
    services.submit(submission, actor=invitee)
    mail.outbox.clear()
    assert send_deadline_reminders.call() == {"calls": 1, "emails": 0}


def test_no_reminder_while_the_deadline_is_far(world: World) -> None:
    Call.objects.filter(pk=world.call.pk).update(deadline=timezone.now() + dt.timedelta(days=30))
    assert send_deadline_reminders.call() == {"calls": 0, "emails": 0}
    assert mail.outbox == []


def test_the_command_line_exports_published_answers_and_sends_reminders(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import run_cli

    invitee = world.users["invitee"]
    submission = services.start_submission(world.call, actor=invitee)
    services.save_answer(
        submission, actor=invitee, question=world.questions[0], value=PUBLIC_WORDS, language="en"
    )
    services.save_answer(
        submission, actor=invitee, question=world.questions[1], value="No", keep_unpublished=True
    )
    services.submit(submission, actor=invitee)
    code, out, _err = run_cli(capsys, "consultations", "export", str(world.call.pk))
    assert code == 0
    assert [line for line in out.splitlines() if line] == [
        line for line in out.splitlines() if PUBLIC_WORDS in line
    ]
    assert out.count("\n") == 1
    code, out, _err = run_cli(capsys, "consultations", "remind", "--now")
    assert code == 0 and '"emails": 0' in out


def test_reminders_reach_the_author_of_an_unsubmitted_draft_in_its_language(world: World) -> None:
    Call.objects.filter(pk=world.call.pk).update(deadline=timezone.now() + dt.timedelta(days=2))
    focal, ngo = world.users["focal"], world.users["ngo"]
    france = services.start_submission(world.call, actor=focal, state=world.state, language="fr")
    services.save_answer(france, actor=focal, question=world.questions[1], value="Yes")
    services.start_submission(world.call, actor=ngo, language="en")
    assert send_deadline_reminders.call() == {"calls": 1, "emails": 3}
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert set(subjects) == {"invitee@example.org", "focal@example.org", "ngo@example.org"}
    assert subjects["focal@example.org"].startswith("[hrcoop] Rappel")
    assert subjects["ngo@example.org"].startswith("[hrcoop] Reminder")

    mail.outbox.clear()
    services.submit(france, actor=focal)
    assert send_deadline_reminders.call() == {"calls": 1, "emails": 2}
    assert "focal@example.org" not in {m.to[0] for m in mail.outbox}


def test_a_submission_rolled_back_sends_no_acknowledgement(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    focal = world.users["focal"]
    submission = services.start_submission(world.call, actor=focal, state=world.state)
    services.save_answer(submission, actor=focal, question=world.questions[1], value="Yes")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.submit(submission, actor=focal)
        raise RuntimeError("the request failed after the submission")
    assert callbacks == [] and mail.outbox == []
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


def test_the_invitation_is_written_after_commit_in_the_invitees_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invite(world.call, actor=world.users["desk"], user=world.users["stranger"], language="fr")
    assert mail.outbox == []  # nothing leaves before the invitation is committed
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["stranger@example.org"]
    assert message.subject == f"[hrcoop] Invitation à répondre : {world.call.title}"
    assert "Le secrétariat vous invite" in message.body


def test_the_focal_point_who_submits_a_colleagues_draft_is_acknowledged_too(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = make_user("colleague", Role.STATE_FOCAL_POINT, "FRA", password="pw-colleague")
    submission = services.start_submission(world.call, actor=world.users["focal"], state=world.state)
    services.save_answer(submission, actor=colleague, question=world.questions[1], value="Yes")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(submission, actor=colleague)
    [message] = mail.outbox
    assert sorted(message.to) == ["colleague@example.org", "focal@example.org"]
