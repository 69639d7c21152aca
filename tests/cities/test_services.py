import pytest

from cities.models import ContactConsentEvent
from cities.services import person_consent_give, person_consent_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


def test_consent_given_withdrawn_and_given_again_keeps_the_whole_history():
    person = factories.person()

    person_consent_give(person=person, source="survey: post-webinar survey")
    person_consent_withdraw(person=person, source="link in an e-mail")
    person = person_consent_give(person=person, source="web form")

    assert person.has_contact_consent
    assert person.contact_consent_source == "web form"
    assert list(ContactConsentEvent.objects.filter(person=person).values_list("action", "source")) == [
        ("given", "survey: post-webinar survey"),
        ("withdrawn", "link in an e-mail"),
        ("given", "web form"),
    ]


def test_withdrawing_consent_that_was_never_given_records_nothing():
    person = factories.person()

    person = person_consent_withdraw(person=person, source="link")

    assert not person.has_contact_consent
    assert ContactConsentEvent.objects.count() == 0
