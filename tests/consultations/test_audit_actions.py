"""Each service of a call for inputs records exactly one audit event of its declared kind."""

from __future__ import annotations

import pytest

from hrcoop.consultations import services
from hrcoop.consultations.actions import ConsultationAction
from tests.conftest import records_exactly
from tests.consultations.conftest import World, make_user, open_test_call
from tests.consultations.test_services import pdf

pytestmark = pytest.mark.django_db


def test_a_call_s_services_record_one_event_each(world: World) -> None:
    desk, focal = world.users["desk"], world.users["focal"]
    text_question = world.questions[0]
    with records_exactly(ConsultationAction.SUBMISSION_STARTED):
        submission = services.start_submission(world.call, actor=focal, state=world.state, language="en")
    with records_exactly(ConsultationAction.ANSWER_SAVED):
        services.save_answer(submission, actor=focal, question=text_question, value="Our national mechanism.")
    with records_exactly(ConsultationAction.DOCUMENT_ATTACHED):
        services.attach_document(submission, actor=focal, upload=pdf())
    with records_exactly(ConsultationAction.SUBMITTED):
        services.submit(submission, actor=focal)
    with records_exactly(ConsultationAction.INVITED):
        invitation = services.invite(world.call, actor=desk, user=make_user("expert"), language="en")
    with records_exactly(ConsultationAction.INVITATION_REVOKED):
        services.revoke_invitation(invitation, actor=desk)
    with records_exactly(ConsultationAction.CALL_CLOSED):
        services.close_call(world.call, actor=desk)
    with records_exactly(ConsultationAction.CALL_OPENED):
        open_test_call(world.mandate, desk)
