"""Personal links: signed, bound to one survey and one person, readable until a while after closing."""

import datetime as dt

import pytest
from django.conf import settings

from surveys.links import (
    PERSONAL_LINK_GRACE,
    PersonalLinkError,
    personal_link_invitee,
    personal_link_token,
    personal_link_url,
)

from .builders import invite

pytestmark = pytest.mark.django_db


def test_personal_link_leads_back_to_its_invitee(kit):
    invitee = invite(kit.survey)

    found = personal_link_invitee(token=personal_link_token(invitee=invitee))

    assert (found.pk, found.survey, found.person) == (invitee.pk, kit.survey, invitee.person)


@pytest.mark.parametrize(("language", "prefix"), [("es", "/es/"), ("zh-hans", "/zh-hans/"), ("en", "/")])
def test_personal_link_url_is_in_the_invitee_language(kit, language, prefix):
    invitee = invite(kit.survey, language=language)

    url = personal_link_url(invitee=invitee)

    token = personal_link_token(invitee=invitee)
    assert url == f"{settings.SITE_URL}{prefix}surveys/answer/{token}/"


def test_personal_link_is_the_same_every_time(kit):
    invitee = invite(kit.survey)

    assert personal_link_url(invitee=invitee) == personal_link_url(invitee=invitee)


def test_tampered_link_is_refused(kit):
    token = personal_link_token(invitee=invite(kit.survey))
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    with pytest.raises(PersonalLinkError) as error:
        personal_link_invitee(token=tampered)

    assert error.value.reason == "tampered"


def test_link_of_a_withdrawn_invitation_is_refused(kit):
    invitee = invite(kit.survey)
    token = personal_link_token(invitee=invitee)
    invitee.delete()

    with pytest.raises(PersonalLinkError) as error:
        personal_link_invitee(token=token)

    assert error.value.reason == "not_invited"


def test_link_stays_readable_after_close_then_expires(kit):
    token = personal_link_token(invitee=invite(kit.survey))
    closes = kit.survey.closes_at

    late_visit = personal_link_invitee(token=token, at=closes + dt.timedelta(days=1))
    with pytest.raises(PersonalLinkError) as error:
        personal_link_invitee(token=token, at=closes + PERSONAL_LINK_GRACE)

    assert late_visit.survey == kit.survey
    assert error.value.reason == "expired"


def test_extending_the_survey_extends_links_already_sent(kit):
    token = personal_link_token(invitee=invite(kit.survey))
    visit_at = kit.survey.closes_at + PERSONAL_LINK_GRACE + dt.timedelta(days=1)
    kit.survey.closes_at += PERSONAL_LINK_GRACE
    kit.survey.save()

    assert personal_link_invitee(token=token, at=visit_at).survey == kit.survey
