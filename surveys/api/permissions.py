"""Who may see what of a survey through the API (the results page has its own rules in surveys/)."""

from travelsouth.api.permissions import is_staff

from ..models import Survey


def can_view_survey_results(user, survey: Survey) -> bool:
    """Aggregates are public once staff publish them; staff see them before."""
    return survey.results_published or is_staff(user)


def can_view_raw_answers(user) -> bool:
    """Individual responses name respondents and hold free text: staff only."""
    return is_staff(user)
