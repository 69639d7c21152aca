"""The surveys API's reads: the surveys app's selectors, plus what the API's detail pages need.

Visibility, results and raw answers all come from ``surveys.selectors`` (the results page, the CSV
exports and this API call the same functions, so they always agree).
"""

from django.db.models import Prefetch, QuerySet

from ..models import Option, Question, Survey
from ..selectors import survey_list


def api_survey_details(*, user) -> QuerySet[Survey]:
    """The surveys ``user`` may see, with their questions and options."""
    questions = Question.objects.order_by("order").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order"))
    )
    return survey_list(user=user).prefetch_related(Prefetch("questions", queryset=questions))
