"""What a user may do with a survey: plain predicates used by views, API and admin alike."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cities.models import City
from cities.permissions import is_city_official
from travelsouth.permissions import has_staff_permission

from .models import Survey

User = AbstractBaseUser | AnonymousUser


def is_survey_staff(user: User) -> bool:
    """Staff who may read surveys before their results are published, and every figure of the
    results (``surveys.view_survey``: the Viewer, Survey manager and Broker roles)."""
    return has_staff_permission(user, "surveys.view_survey")


def can_view_results(user: User, survey: Survey) -> bool:
    """Survey staff always; everyone else once staff have published the results summary."""
    return is_survey_staff(user) or survey.results_published


def can_read_answers(user: User) -> bool:
    """Raw answers, who gave them and the free text (``surveys.view_response``: Survey managers)."""
    return has_staff_permission(user, "surveys.view_response")


def can_view_result_details(user: User, survey: Survey) -> bool:
    """Free-text answers and responses per city: those who may read answers, and never for an
    anonymous survey."""
    return can_read_answers(user) and not survey.is_anonymous


def can_export_answers(user: User, survey: Survey) -> bool:
    """The raw answers, one row per response (see ``shows_who_answered``)."""
    return can_read_answers(user)


def can_publish_results(user: User) -> bool:
    return has_staff_permission(user, "surveys.change_survey")


def can_view_personal_links(user: User) -> bool:
    """Personal links let their holder read and overwrite an invitee's answers."""
    return has_staff_permission(user, "surveys.view_personal_links")


def shows_who_answered(survey: Survey) -> bool:
    """Whether raw answers (the CSV export, the API's responses) say who answered: the response's
    number, time, language, respondent and city. Not for an anonymous survey: its rows carry the
    answers alone and are sorted by them, so nothing ties a row to a person."""
    return not survey.is_anonymous


def can_answer_for_city(user: User, city: City) -> bool:
    return is_city_official(user, city)
