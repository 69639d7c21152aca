"""What a user may do with a survey: plain predicates used by views, API and admin alike."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cities.models import City
from cities.permissions import is_city_official
from travelsouth.permissions import is_unossc_staff

from .models import Survey

User = AbstractBaseUser | AnonymousUser


def is_survey_staff(user: User) -> bool:
    """UNOSSC staff: they build surveys, see every result and export raw answers."""
    return is_unossc_staff(user)


def can_view_results(user: User, survey: Survey) -> bool:
    """Staff always; everyone else once staff have published the results summary."""
    return is_survey_staff(user) or survey.results_published


def can_view_result_details(user: User, survey: Survey) -> bool:
    """Free-text answers and responses per city: staff only, and never for an anonymous survey."""
    return is_survey_staff(user) and not survey.is_anonymous


def can_export_answers(user: User, survey: Survey) -> bool:
    """The raw answers, one row per response (see ``shows_who_answered``)."""
    return is_survey_staff(user)


def shows_who_answered(survey: Survey) -> bool:
    """Whether raw answers (the CSV export, the API's responses) say who answered: the response's
    number, time, language, respondent and city. Not for an anonymous survey: its rows carry the
    answers alone and are sorted by them, so nothing ties a row to a person."""
    return not survey.is_anonymous


def can_answer_for_city(user: User, city: City) -> bool:
    return is_city_official(user, city)
