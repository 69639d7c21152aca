"""The consent history names where each consent was given in the reader's language."""

import pytest

from cities.consent_sources import CONSENT_PAGE, interest_form_source, source_display
from cities.models import Person
from cities.services import person_consent_give, person_consent_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def official_with_history(client):
    city = factories.city(name="Dunhuang", name_es="Dunhuang", name_zh_hans="敦煌")
    account = factories.official(city_=city)
    person = Person.objects.get(user=account)
    person_consent_give(person=person, source=interest_form_source(city=city, interest_id=12))
    person_consent_withdraw(person=person, source="survey:seguimiento-2026")
    person_consent_give(person=person, source=CONSENT_PAGE)
    client.force_login(account)
    return client


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "/es",
            [
                "Formulario de interés de Dunhuang (web, interés n.º 12)",
                "Respuestas a la encuesta seguimiento-2026",
                "Página de consentimiento (web)",
            ],
        ),
        (
            "/zh-hans",
            ["敦煌合作意向表（网页，意向第 12 号）", "对问卷 seguimiento-2026 的回答", "同意页面（网页）"],
        ),
    ],
)
def test_the_consent_history_says_each_source_in_the_readers_language(
    official_with_history, prefix, expected
):
    page = official_with_history.get(f"{prefix}/officials/consent/").content.decode()

    assert [text for text in expected if text not in page] == []
    assert "Interest form for" not in page and "survey:" not in page and "Consent page" not in page


def test_a_source_staff_typed_is_shown_as_written():
    assert (
        source_display("Signed form, Oaxaca 2026 (recorded by Ana)")
        == "Signed form, Oaxaca 2026 (recorded by Ana)"
    )
