"""Writes for surveys: submitting a response (with its history), publishing results, feeding brokering.

``response_submit`` validates every answer before writing anything and raises one ValidationError
whose keys are the answer fields ``question_<id>`` (see ``answer_field``), or ``__all__`` for what
concerns the whole response (the survey is closed, an answer names a question of another survey).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cities.models import City, Person
from travelsouth.i18n import InterfaceLanguage

from .changes import response_submitted
from .models import Answer, Option, Question, Response, ResponseRevision, Survey, SurveyParticipation
from .permissions import can_answer_for_city

FREE_TEXT_MAX_LENGTH = 5000


def answer_field(question: Question | int) -> str:
    """The key of a question's answer in forms, API payloads and validation errors."""
    return f"question_{question if isinstance(question, int) else question.pk}"


@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    yes: bool | None = None
    rating: int | None = None
    text: str = ""
    options: tuple[Option, ...] = field(default_factory=tuple)


def survey_questions(*, survey: Survey) -> list[Question]:
    """The survey's questions in order, each with its options (two queries)."""
    return list(
        survey.questions.select_related("asked_if_yes_to").prefetch_related("options__city").order_by("order")
    )


def clean_answers(
    *, survey: Survey, answers: Mapping[Any, Any], questions: list[Question] | None = None
) -> dict[int, CleanAnswer]:
    """Check raw answers against the survey's questions; the clean ones keyed by question id.

    Raw values: yes/no -> ``True``/``False``; single choice -> an option id; multiple choice and
    choice of cities -> option ids; rating -> a whole number on the question's scale; free text -> a
    string. A missing key, ``None``, ``""`` or an empty list means "not answered".
    """
    questions = questions if questions is not None else survey_questions(survey=survey)
    by_id = {question.pk: question for question in questions}
    errors: dict[str, list] = {}

    given: dict[int, Any] = {}
    unknown = []
    for key, value in answers.items():
        try:
            question_id = int(str(key).removeprefix("question_"))
        except ValueError:
            unknown.append(str(key))
            continue
        if question_id not in by_id:
            unknown.append(str(key))
            continue
        if not _is_blank(value):
            given[question_id] = value
    if unknown:
        errors[NON_FIELD_ERRORS] = [
            _("These answers are to questions that are not in this survey: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        ]

    clean: dict[int, CleanAnswer] = {}
    for question in questions:
        key = answer_field(question)
        condition = question.asked_if_yes_to
        asked = condition is None or (condition.pk in clean and clean[condition.pk].yes is True)
        if question.pk not in given:
            if question.required and asked:
                errors[key] = [_("This question needs an answer.")]
            continue
        if not asked:
            errors[key] = [
                _("Answer this question only after answering yes to question %(order)s.")
                % {"order": condition.order}
            ]
            continue
        try:
            clean[question.pk] = _clean_answer(question, given[question.pk])
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    return clean


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return not value
    return False


def _clean_answer(question: Question, value: Any) -> CleanAnswer:
    kind = question.kind
    if kind == Question.Kind.YES_NO:
        if not isinstance(value, bool):
            raise ValidationError(_("Answer yes or no."))
        return CleanAnswer(question=question, yes=value)
    if kind == Question.Kind.RATING:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError(_("Give a whole number."))
        try:
            rating = int(value)
        except ValueError:
            raise ValidationError(_("Give a whole number.")) from None
        if not question.rating_min <= rating <= question.rating_max:
            raise ValidationError(
                _("Give a rating from %(lowest)s to %(highest)s.")
                % {"lowest": question.rating_min, "highest": question.rating_max}
            )
        return CleanAnswer(question=question, rating=rating)
    if kind == Question.Kind.FREE_TEXT:
        if not isinstance(value, str):
            raise ValidationError(_("Write your answer as text."))
        text = value.strip()
        if len(text) > FREE_TEXT_MAX_LENGTH:
            raise ValidationError(
                _("Keep your answer under %(limit)s characters.") % {"limit": FREE_TEXT_MAX_LENGTH}
            )
        return CleanAnswer(question=question, text=text)
    return CleanAnswer(question=question, options=_clean_options(question, value))


def _clean_options(question: Question, value: Any) -> tuple[Option, ...]:
    values = [value] if isinstance(value, int | str) else value
    if not isinstance(values, Iterable) or isinstance(values, bytes | dict):
        raise ValidationError(_("Choose among the question's options."))
    options = {option.pk: option for option in question.options.all()}
    chosen: list[Option] = []
    for raw in values:
        try:
            option_id = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose among the question's options.")) from None
        if isinstance(raw, bool) or option_id not in options:
            raise ValidationError(_("This choice is not one of the question's options."))
        if options[option_id] not in chosen:
            chosen.append(options[option_id])
    if question.kind == Question.Kind.SINGLE_CHOICE and len(chosen) > 1:
        raise ValidationError(_("Choose only one option."))
    return tuple(sorted(chosen, key=lambda option: option.order))


def _date(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT")


def _check_survey_open(survey: Survey, at: dt.datetime) -> None:
    state = survey.state_at(at)
    if state == "not_open":
        raise ValidationError(
            _("This survey is not open yet: it opens on %(date)s.") % {"date": _date(survey.opens_at)},
            code="not_open",
        )
    if state == "closed":
        raise ValidationError(
            _("This survey closed on %(date)s: answers can no longer be given or changed.")
            % {"date": _date(survey.closes_at)},
            code="closed",
        )


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    respondent: Person,
    city: City | None,
    answers: Mapping[Any, Any],
    language: str,
    at: dt.datetime | None = None,
) -> Response:
    """Record ``respondent``'s answers, or replace their earlier ones while the survey is open.

    The replaced version is kept as a ResponseRevision. Nothing is written when anything is wrong.
    For an anonymous survey the response has no respondent and only the day; the respondent's
    participation is recorded apart (SurveyParticipation), and they cannot answer again.
    Side effects: the ``response_submitted`` hook, in this transaction: partnerships turns the answers
    into the city's partnership interest and the respondent's consent to be contacted.
    """
    at = at or timezone.now()
    _check_survey_open(survey, at)
    if language not in InterfaceLanguage.values:
        raise ValidationError({NON_FIELD_ERRORS: [_("Unknown language.")]})
    clean = clean_answers(survey=survey, answers=answers)

    # One respondent's submissions are serialised: two tabs submitting at once make two versions.
    Person.objects.select_for_update().filter(pk=respondent.pk).first()
    if survey.is_anonymous:
        return _anonymous_response_submit(
            survey=survey, respondent=respondent, city=city, clean=clean, language=language, at=at
        )
    response = Response.objects.filter(survey=survey, respondent=respondent).first()
    previous_city_id = response.city_id if response is not None else None
    if response is None:
        response = Response(survey=survey, respondent=respondent)
    else:
        _keep_revision(response, replaced_at=at)
        response.answers.all().delete()
    response.city = city
    response.language = language
    response.submitted_at = at
    response.is_reconstructed = False
    response.full_clean(validate_unique=False)
    response.save()

    _answers_store(response, clean)
    told = response_submitted.send(response=response, previous_city_id=previous_city_id)
    # What the apps above did with the answers, for the respondent (e.g. items added to an interest).
    response.feedback = [str(sentence) for sentence in told if sentence]
    return response


def _anonymous_response_submit(*, survey, respondent, city, clean, language, at) -> Response:
    if SurveyParticipation.objects.filter(survey=survey, person=respondent).exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "You have already answered this anonymous survey. Your answers cannot be "
                        "changed: nothing links them to you."
                    )
                ]
            }
        )
    SurveyParticipation.objects.create(survey=survey, person=respondent)
    day = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    response = Response(survey=survey, respondent=None, city=city, language=language, submitted_at=day)
    response.full_clean(validate_unique=False)
    response.save()
    _answers_store(response, clean)
    response_submitted.send(response=response, previous_city_id=None)  # anonymous surveys feed nothing
    response.feedback = []
    return response


def _answers_store(response: Response, clean) -> None:
    stored = []
    for clean_answer in clean.values():
        answer = Answer(
            response=response,
            question=clean_answer.question,
            yes=clean_answer.yes,
            rating=clean_answer.rating,
            text=clean_answer.text,
        )
        # Everything was checked above; this checks the field values without a query per answer.
        answer.full_clean(exclude=["response", "question"], validate_unique=False, validate_constraints=False)
        stored.append(answer)
    Answer.objects.bulk_create(stored)
    Answer.options.through.objects.bulk_create(
        [
            Answer.options.through(answer_id=answer.pk, option_id=option.pk)
            for answer, clean_answer in zip(stored, clean.values(), strict=True)
            for option in clean_answer.options
        ]
    )


def _keep_revision(response: Response, *, replaced_at: dt.datetime) -> ResponseRevision:
    answers = response.answers.select_related("question").prefetch_related("options")
    revision = ResponseRevision(
        response=response,
        number=response.revisions.count() + 1,
        submitted_at=response.submitted_at,
        city=response.city,
        language=response.language,
        replaced_at=replaced_at,
        answers=[
            {
                "question": answer.question_id,
                "order": answer.question.order,
                "question_text": answer.question.text,
                "yes": answer.yes,
                "rating": answer.rating,
                "text": answer.text,
                "options": [{"id": option.pk, "label": option.label} for option in answer.options.all()],
            }
            for answer in sorted(answers, key=lambda answer: answer.question.order)
        ],
    )
    revision.full_clean(exclude=["response", "city"])
    revision.save()
    return revision


@transaction.atomic
def survey_close(*, survey: Survey, at: dt.datetime | None = None) -> bool:
    """Close ``survey`` now (a survey that was answered is closed, not deleted). False when it was
    already closed."""
    at = at or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.closes_at <= at:
        return False
    survey.closes_at = at
    survey.closes_at_precision = Survey.ClosingDatePrecision.DAY
    survey.full_clean()
    survey.save(update_fields=["closes_at", "closes_at_precision", "updated_at"])
    return True


@transaction.atomic
def survey_results_publish(*, survey: Survey, published: bool) -> Survey:
    """Show (or hide) the survey's public results summary."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.results_published != published:
        survey.results_published = published
        survey.save(update_fields=["results_published", "updated_at"])
    return survey


@transaction.atomic
def response_submit_for_city(
    *,
    survey: Survey,
    user: AbstractBaseUser,
    city: City,
    answers: Mapping[Any, Any],
    language: str,
    at: dt.datetime | None = None,
) -> Response:
    """An approved official of ``city`` answers for it, as their person (created on first need).

    Raises PermissionDenied when the user is not an approved official of the city; otherwise as
    ``response_submit``, in one transaction: a refused submission leaves no new person behind.
    """
    if not can_answer_for_city(user, city):
        raise PermissionDenied(_("Only approved officials of a city can answer for it."))
    return response_submit(
        survey=survey,
        respondent=survey_respondent_for_user(user=user, language=language),
        city=city,
        answers=answers,
        language=language,
        at=at,
    )


@transaction.atomic
def survey_respondent_for_user(*, user: AbstractBaseUser, language: str = "en") -> Person:
    """The person a logged-in official answers as: their linked person, created on first need.

    A new person gets the account's e-mail only when no other person record holds it: linking an
    account to an existing person is the officials' (accounts) work, not the survey's.
    """
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    email = user.email or ""
    if email and Person.objects.filter(email__iexact=email).exists():
        email = ""
    person = Person(
        slug=f"user-{user.pk}",
        full_name=user.get_full_name() or user.get_username(),
        email=email,
        user=user,
        preferred_language=language if language in InterfaceLanguage.values else InterfaceLanguage.ENGLISH,
    )
    person.full_clean()
    person.save()
    return person
