"""End to end, through the doors a real official and a real staff member use, in each language:
sign up, verify the address from the e-mail, ask for a city, staff approve in the admin, edit the
profile, register a published interest with consent, and find it on the city's public page."""

import re

import pytest
from django.core import mail
from django.test import Client

from cities.models import City, CityMembership, Person
from partnerships.models import DevelopmentPriority, Interest
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-harbour-lanterns-7"


@pytest.mark.parametrize(
    ("prefix", "language", "dashboard_text"),
    [("", "en", "Your cities"), ("/es", "es", "Sus ciudades"), ("/zh-hans", "zh-hans", "您的城市")],
)
def test_from_sign_up_to_a_published_interest(client, staff_user, prefix, language, dashboard_text):
    city = factories.city(name="Morelia", name_es="Morelia", name_zh_hans="莫雷利亚")
    factories.city(name="Luoyang")
    tourism = DevelopmentPriority.objects.create(
        slug="tourism", name="Tourism", name_es="Turismo", name_zh_hans="旅游"
    )
    heritage = factories.theme()
    spanish = factories.language()

    # 1. Sign up, then follow the link in the verification e-mail (written in the page's language).
    signed_up = client.post(
        f"{prefix}/accounts/signup/",
        {"email": "ana@morelia.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[-1].body).group(1)
    confirmed = client.post(link)
    dashboard = client.get(f"{prefix}/officials/")

    assert signed_up.status_code == 302
    assert link.startswith(f"{prefix}/accounts/confirm-email/")
    assert confirmed.status_code == 302
    assert dashboard_text in dashboard.content.decode()

    # 2. Ask to represent the city: nothing of it is editable yet.
    request_page = client.get(f"{prefix}/officials/cities/request/")
    asked = client.post(
        f"{prefix}/officials/cities/request/",
        {
            "city": city.pk,
            "full_name": "Ana Ruiz",
            "role": "Director of Tourism",
            "message": "I run tourism.",
        },
    )
    before_approval = client.get(f"{prefix}/cities/{city.slug}/edit/")

    assert city in request_page.context["form"].fields["city"].queryset
    assert asked.status_code == 302
    assert before_approval.status_code == 403
    membership = CityMembership.objects.get(user__email="ana@morelia.example")
    assert membership.status == "pending"
    assert Person.objects.get(user=membership.user).preferred_language == language

    # 3. Staff approve the request in the admin, with the action.
    staff = Client()
    staff.force_login(staff_user)
    changelist = staff.get("/admin/cities/citymembership/", {"status__exact": "pending"})
    staff.post(
        "/admin/cities/citymembership/",
        {"action": "approve_memberships", "_selected_action": [membership.pk], "apply": "1", "reason": ""},
    )

    assert [row.pk for row in changelist.context["cl"].result_list] == [membership.pk]
    membership.refresh_from_db()
    assert membership.status == "approved"

    # 4. Edit the city's profile.
    edited = client.post(
        f"{prefix}/cities/{city.slug}/edit/",
        {
            "description": "Colonial city, UNESCO World Heritage.",
            "description_es": "Ciudad colonial, Patrimonio Mundial.",
            "languages": [spanish.pk],
            "is_world_heritage_city": "on",
            "sites-TOTAL_FORMS": "1",
            "sites-INITIAL_FORMS": "0",
            "sites-0-name": "Historic Centre of Morelia",
            "sites-0-is_world_heritage": "on",
            "sites-0-inscribed_year": "1991",
        },
    )

    assert edited.status_code == 302
    assert City.objects.get(pk=city.pk).is_world_heritage_city

    # 5. Register a published interest, consenting to be contacted.
    registered = client.post(
        f"{prefix}/partnerships/interests/{city.slug}/",
        {
            "priorities": [tourism.pk],
            "themes_offered": [heritage.pk],
            "working_languages": [spanish.pk],
            "message": "Heritage cities, let us talk.",
            "is_published": "on",
            "consent_to_contact": "on",
        },
    )
    history = client.get(registered["Location"])
    public_page = Client().get(f"{prefix}/cities/{city.slug}/")

    interest = Interest.objects.get(city=city, is_current=True)
    assert (interest.recorded_by.email, interest.is_published) == ("ana@morelia.example", True)
    assert [version.interest.pk for version in history.context["versions"]] == [interest.pk]
    assert 'id="interest"' in public_page.content.decode()
    assert "Heritage cities, let us talk." in public_page.content.decode()
    assert Person.objects.get(user=membership.user).has_contact_consent
