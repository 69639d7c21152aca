"""Staff record a city's interest in the admin the way the services do: the new interest becomes the
city's current one, the previous one is kept as history, and the city's proposals are recomputed."""

import pytest
from django.urls import reverse

from partnerships.models import Interest, Proposal

pytestmark = pytest.mark.django_db


def test_an_interest_added_in_the_admin_supersedes_the_current_one(
    staff_client, staff_user, world, django_capture_on_commit_callbacks, eager_tasks
):
    previous = world.interest(world.morelia, themes_sought=[world.e_commerce])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partnerships_interest_add"),
            {
                "city": world.morelia.pk,
                "source": Interest.Source.STAFF,
                "partner_cities": [world.luoyang.pk],
                "priorities": [world.tourism.pk],
                "message": "Said at the webinar",
            },
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    current = Interest.objects.get(city=world.morelia, is_current=True)
    previous.refresh_from_db()
    assert current.pk != previous.pk
    assert (previous.is_current, previous.superseded_at is not None) == (False, True)
    assert (current.recorded_by, list(current.partner_cities.all())) == (staff_user, [world.luoyang])
    # The refresh ran on the new interest: Morelia named Luoyang.
    assert Proposal.objects.filter(city_a=world.morelia, city_b=world.luoyang).exists() or (
        Proposal.objects.filter(city_a=world.luoyang, city_b=world.morelia).exists()
    )


def test_the_current_flag_is_not_edited_by_hand(staff_client, world):
    interest = world.interest(world.morelia, themes_sought=[world.e_commerce])

    page = staff_client.get(reverse("admin:partnerships_interest_change", args=[interest.pk]))

    assert "is_current" not in page.context["adminform"].form.fields
