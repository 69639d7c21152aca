import pytest
from django.utils import translation

from .builders import SurveyKit, build_survey


@pytest.fixture(autouse=True)
def _english_to_start_with():
    # A request to /es/... leaves Spanish active in the thread; reverse() would then build /es/ URLs.
    with translation.override("en"):
        yield


@pytest.fixture
def kit(db) -> SurveyKit:
    """An open survey with a question of every kind (see builders.build_survey)."""
    return build_survey()
