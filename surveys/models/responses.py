"""The answering side of surveys: responses and their answers, the people invited to answer, and
responses' history (earlier versions kept when a response is changed)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import InterfaceLanguage
from travelsouth.models import TimeStampedModel


class Response(TimeStampedModel):
    """One respondent's answers to one survey; the database allows one per respondent and survey.

    A response to an anonymous survey has no respondent and only the day it was given: who answered is
    kept apart, in ``SurveyParticipation``, with nothing that ties it to the response."""

    survey = models.ForeignKey(
        # A survey that was answered is closed, never deleted: its responses are people's words.
        "surveys.Survey",
        verbose_name=_("survey"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    respondent = models.ForeignKey(
        "cities.Person",
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        help_text=_("Empty for an anonymous survey: nothing ties its responses to a person."),
    )
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("answering for city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    language = models.CharField(
        _("language"), max_length=8, choices=InterfaceLanguage.choices, default=InterfaceLanguage.ENGLISH
    )
    is_reconstructed = models.BooleanField(_("reconstructed"), default=False)

    class Meta:
        ordering = ["survey", "submitted_at", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="one_response_per_respondent_per_survey"
            ),
        ]

    def __str__(self) -> str:
        respondent = self.respondent or _("anonymous response")
        return f"{self.survey}: {respondent}"


class SurveyParticipation(models.Model):
    """That a person answered an anonymous survey, and nothing else: no time, no city, no link to the
    response. It spends their personal link (or their turn as an official): an anonymous response
    cannot be changed, since nothing says which one is theirs."""

    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.PROTECT, related_name="participations"
    )
    person = models.ForeignKey(
        "cities.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="survey_participations",
    )

    class Meta:
        verbose_name = _("participation in an anonymous survey")
        verbose_name_plural = _("participations in anonymous surveys")
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="one_participation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(
        "surveys.Response", verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "surveys.Question", verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    options = models.ManyToManyField(
        "surveys.Option", verbose_name=_("options chosen"), blank=True, related_name="answers"
    )

    class Meta:
        ordering = ["response", "question__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question_per_response"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.question.order}"


class SurveyInvitee(TimeStampedModel):
    """A person invited to answer a survey. Their personal link is derived, never stored (surveys/links.py)."""

    survey = models.ForeignKey(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitees"
    )
    person = models.ForeignKey(
        "cities.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("answering for city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["survey", "person"]
        verbose_name = _("survey invitee")
        verbose_name_plural = _("survey invitees")
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="survey_invitee_unique")]
        # A personal link lets whoever holds it read and overwrite the invitee's answers.
        permissions = [("view_personal_links", _("Can see and export the invitees' personal links"))]

    def __str__(self) -> str:
        return f"{self.person} → {self.survey}"


class ResponseRevision(models.Model):
    """An earlier version of a response, kept when the respondent submitted again: nothing is lost.

    ``answers`` is a self-contained snapshot (question and option texts included), so it stays
    readable even if the survey's questions are edited later.
    """

    response = models.ForeignKey(
        "surveys.Response", verbose_name=_("response"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"))
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("answering for city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, choices=InterfaceLanguage.choices)
    answers = models.JSONField(_("answers"), default=list)
    replaced_at = models.DateTimeField(_("replaced at"))

    class Meta:
        ordering = ["response", "number"]
        verbose_name = _("earlier version of a response")
        verbose_name_plural = _("earlier versions of responses")
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="response_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.response} (v{self.number})"
