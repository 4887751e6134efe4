"""A call for inputs, its questions, who is invited, and the submissions with their answers.

A call serves a mandate (the report the secretariat prepares, e.g. para 32 of the seed resolution).
One submission per respondent: a State answers once, through any of its focal points; an organisation
or an invitee answers once, through the person who signed in. What the public may read follows from
three flags held here and read only by ``selectors``: the call publishes answers, the submission was
submitted, and the answer or attachment is not kept unpublished.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrcoop.core.models import User
from hrcoop.mandates.models import Mandate
from hrcoop.reference.models import State

# The six official languages of the United Nations, as stored beside every answer.
UN_LANGUAGES = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
}


ORGANISATION_NAME_LENGTH = 200


class Call(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    deadline = models.DateTimeField(help_text="Answers submitted after it are accepted but marked late")
    languages = models.JSONField(default=list, help_text="Codes of the UN languages answers may be in")
    open_to_states = models.BooleanField(default=True, help_text="States answer through their focal points")
    open_to_organisations = models.BooleanField(
        default=True, help_text="Organisations (NHRIs, NGOs, agencies) answer through their contributors"
    )
    publish_answers = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("Choice")
        NUMBER = "number", _("Number")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    choices = models.JSONField(default=list, blank=True, help_text="The options of a choice question")

    class Meta:
        ordering = ["call", "position"]
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="consultations_question_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class Invitation(models.Model):
    """A person invited to answer whatever their role; reminders are written in ``language``.

    Revoking an invitation deletes it (the audit log keeps who invited and who revoked, and when).
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consultation_invitations")
    organisation = models.CharField(
        max_length=ORGANISATION_NAME_LENGTH,
        blank=True,
        help_text="Whom the invitee answers for (an organisation, a name); their account's name if empty",
    )
    language = models.CharField(max_length=10, default="en")
    invited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="consultations_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.call_id}"


class Submission(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("State")
        ORGANISATION = "organisation", _("Organisation")
        INVITEE = "invitee", _("Invitee")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    respondent = models.CharField(max_length=200, help_text="The State's or the organisation's name")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consultation_submissions")
    language = models.CharField(max_length=10, default="en", help_text="Its acknowledgement's language")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "state"], condition=Q(state__isnull=False), name="consultations_one_per_state"
            ),
            models.UniqueConstraint(
                fields=["call", "author"],
                condition=Q(state__isnull=True),
                name="consultations_one_per_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} to call {self.call_id}"


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    choice = models.CharField(max_length=200, blank=True)
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    language = models.CharField(max_length=10)
    language_detected = models.BooleanField(default=False, help_text="Found by py3langid, not given")
    keep_unpublished = models.BooleanField(default=False)
    vector = models.BinaryField(null=True, blank=True, help_text="int8 sentence vector of a text answer")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["question__position", "submission_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="consultations_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"answer of {self.submission_id} to {self.question_id}"

    @property
    def language_name(self) -> str:
        """The answer's language by name, in the reader's language ("French", "français")."""
        return str(UN_LANGUAGES.get(self.language, self.language))

    @property
    def value(self) -> str:
        """The answer as a person reads it, whatever the kind of its question."""
        if self.number is not None:
            return f"{self.number.normalize():f}"
        return self.choice or self.text


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="consultations/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    keep_unpublished = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
