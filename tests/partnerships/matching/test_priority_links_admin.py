"""The priority-to-theme map in the admin: staff see every link with its strength and reason on one
page (a constant number of queries), edit a strength there, and bad values are refused."""

import pytest
from django.urls import reverse

from partnerships.models import PriorityThemeLink
from tests import factories

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:partnerships_prioritythemelink_changelist"


@pytest.mark.parametrize("extra", [0, 12])
def test_the_map_lists_every_link_in_a_constant_number_of_queries(
    staff_client, world, extra, django_assert_max_num_queries
):
    for number in range(extra):
        world.tourism.themes.add(factories.theme(slug=f"theme-{number}", name=f"Theme {number}"))

    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2 + extra


def test_staff_edit_a_links_strength_and_reason_and_a_strength_above_one_is_refused(staff_client, world):
    link = PriorityThemeLink.objects.get(priority=world.tourism, theme=world.heritage)
    url = reverse("admin:partnerships_prioritythemelink_change", args=[link.pk])
    form = {
        "priority": world.tourism.pk,
        "theme": world.heritage.pk,
        "strength": "0.5",
        "rationale": "Visitors come for it.",
    }

    saved = staff_client.post(url, form)
    refused = staff_client.post(url, {**form, "strength": "1.5"})

    link.refresh_from_db()
    assert saved.status_code == 302
    assert (link.strength, link.rationale) == (0.5, "Visitors come for it.")
    assert refused.status_code == 200
    assert "strength" in refused.context["adminform"].form.errors
