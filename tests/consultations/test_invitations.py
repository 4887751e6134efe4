"""The desk's invitations page: inviting by e-mail (opening an account when none holds the address),
who was invited and whether they answered, revoking; each refusal a form error that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from hrcoop.consultations import services
from hrcoop.consultations.models import Invitation, Submission
from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.errors import Conflict, Forbidden
from hrcoop.core.models import AuditEvent, RoleAssignment, User
from tests.consultations.conftest import World

pytestmark = pytest.mark.django_db


def desk_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["desk"])
    return client


def url(world: World) -> str:
    return f"/consultations/{world.call.pk}/invitations/"


def snapshot() -> tuple[int, int, int, int]:
    return (
        Invitation.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_inviting_a_stranger_by_email_opens_an_account_without_a_role_and_writes_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client(world).post(
            url(world),
            {"email": " Expert@University.example ", "organisation": "Geneva Academy", "language": "fr"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="expert@university.example")
    assert not user.is_active and not RoleAssignment.objects.filter(user=user).exists()
    invitation = Invitation.objects.get(user=user)
    assert (invitation.organisation, invitation.language) == ("Geneva Academy", "fr")
    subjects = sorted(m.subject for m in mail.outbox)
    invited = f"[hrcoop] Invitation à répondre : {world.call.title}"
    assert subjects == sorted(["You are invited to hrcoop", invited])
    [call_mail] = [m for m in mail.outbox if m.subject.startswith("[hrcoop] Invitation")]
    assert "Vous répondez pour Geneva Academy." in call_mail.body
    assert f"/fr/consultations/{world.call.pk}/answer/" in call_mail.body
    assert list(
        AuditEvent.objects.filter(action__in=["accounts.invited", "consultations.invited"])
        .order_by("pk")
        .values_list("action", flat=True)
    )[-2:] == ["accounts.invited", "consultations.invited"]
    assert verify_audit_chain() == []

    # The invitee answers under the organisation's name.
    submission = services.start_submission(world.call, actor=user)
    assert (submission.kind, submission.respondent) == (Submission.Kind.INVITEE, "Geneva Academy")


def test_inviting_someone_with_an_account_invites_that_account(world: World) -> None:
    stranger = world.users["stranger"]
    desk_client(world).post(
        url(world), {"email": "STRANGER@example.org", "organisation": "Ana Stranger", "language": "en"}
    )
    assert Invitation.objects.filter(call=world.call, user=stranger).exists()
    assert services.start_submission(world.call, actor=stranger).respondent == "Ana Stranger"


def test_the_page_lists_who_was_invited_when_and_whether_they_answered(world: World) -> None:
    invitee, ngo = world.users["invitee"], world.users["ngo"]
    services.invite(world.call, actor=world.users["desk"], user=ngo, organisation="Cooperation Watch")
    submission = services.start_submission(world.call, actor=invitee)
    services.save_answer(submission, actor=invitee, question=world.questions[1], value="Yes")
    services.submit(submission, actor=invitee)
    services.start_submission(world.call, actor=ngo)

    page = desk_client(world).get(url(world)).content.decode()
    invited_row = page[page.index("invitee@example.org") :]
    assert "submitted" in invited_row[: invited_row.index("</tr>")]
    ngo_row = page[page.index("ngo@example.org") :]
    assert "draft" in ngo_row[: ngo_row.index("</tr>")]
    assert page.count("Revoke the invitation of") == 1  # who has answered keeps their invitation


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"email": "not an address", "organisation": "X", "language": "en"}, 400, "Enter a valid email"),
        ({"email": "invitee@example.org", "organisation": "X", "language": "en"}, 409, "already invited"),
        ({"email": "new@example.org", "organisation": "X", "language": "de"}, 400, "Select a valid choice"),
        ({"email": "new@example.org", "language": "en"}, 400, "This field is required."),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(
    world: World, form: dict[str, str], status: int, message: str
) -> None:
    before = snapshot()
    response = desk_client(world).post(url(world), form)
    assert response.status_code == status
    assert message in response.content.decode()
    assert snapshot() == before
    assert mail.outbox == []


def test_a_closed_call_invites_nobody_more(world: World) -> None:
    services.close_call(world.call, actor=world.users["desk"])
    before = snapshot()
    response = desk_client(world).post(
        url(world), {"email": "late@example.org", "organisation": "Late Institute", "language": "fr"}
    )
    assert response.status_code == 409
    assert f"call {world.call.pk} is closed: nobody more can be invited" in response.content.decode()
    assert snapshot() == before


def test_only_the_secretariat_sees_and_uses_the_invitations(world: World) -> None:
    for name in ("focal", "ngo", "invitee"):
        client = Client()
        client.force_login(world.users[name])
        assert client.get(url(world)).status_code == 403
        form = {"email": "x@example.org", "organisation": "X", "language": "en"}
        assert client.post(url(world), form).status_code == 403
    assert Client().get(url(world)).status_code == 302
    with pytest.raises(Forbidden):
        services.invite_by_email(
            world.call, actor=world.users["focal"], email="x@example.org", language="en",
            organisation="X", link_for=lambda user, token: token,
        )  # fmt: skip
    assert not User.objects.filter(email="x@example.org").exists()


def test_revoking_an_invitation_stops_the_invitees_draft(world: World) -> None:
    invitee = world.users["invitee"]
    draft = services.start_submission(world.call, actor=invitee)
    invitation = Invitation.objects.get(user=invitee)
    response = desk_client(world).post(f"{url(world)}{invitation.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    event = AuditEvent.objects.filter(action="consultations.invitation_revoked").get()
    assert event.data["user"] == invitee.pk
    with pytest.raises(Forbidden, match="revoked"):
        services.save_answer(draft, actor=invitee, question=world.questions[1], value="Yes")
    with pytest.raises(Forbidden, match="not invited"):
        services.start_submission(world.call, actor=invitee)


def test_an_invitee_who_answered_keeps_their_invitation(world: World) -> None:
    invitee = world.users["invitee"]
    submission = services.start_submission(world.call, actor=invitee)
    services.save_answer(submission, actor=invitee, question=world.questions[1], value="No")
    services.submit(submission, actor=invitee)
    invitation = Invitation.objects.get(user=invitee)
    before = snapshot()
    with pytest.raises(Conflict, match="already answered"):
        services.revoke_invitation(invitation, actor=world.users["desk"])
    response = desk_client(world).post(f"{url(world)}{invitation.pk}/revoke/", follow=True)
    assert "already answered" in response.content.decode()
    assert snapshot() == before
