"""The admin's LeanPaginator (travelsouth/admin_paging.py): the same pages as Django's paginator, read
by id, and the proposal list's page 2 and review page through the admin."""

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from partnerships.models import Proposal
from partnerships.selectors import proposals_for_review
from tests import factories
from travelsouth.admin_paging import LeanPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals():
    cities = [factories.city(name=f"Town {number}") for number in range(8)]
    return [
        Proposal.objects.create(
            city_a=cities[number], city_b=cities[number + 1], score=[3, 1, 2, 3, 5, 1, 4][number]
        )
        for number in range(7)
    ]


def test_lean_pages_are_djangos_pages(proposals, django_assert_max_num_queries):
    plain = Paginator(proposals_for_review(), 3)
    lean = LeanPaginator(proposals_for_review(), 3)

    pages = [[proposal.pk for proposal in lean.page(number).object_list] for number in (1, 2, 3)]

    assert lean.count == plain.count == 7
    assert pages == [[proposal.pk for proposal in plain.page(number).object_list] for number in (1, 2, 3)]
    with django_assert_max_num_queries(3):  # ids, rows, their themes
        list(lean.page(2).object_list)


def test_the_proposal_list_pages_and_the_review_page_stays_under_30_queries(
    staff_client, proposals, django_assert_max_num_queries
):
    from partnerships.admin.proposals import ProposalAdmin

    ProposalAdmin.list_per_page, previous = 3, ProposalAdmin.list_per_page
    try:
        second = staff_client.get(reverse("admin:partnerships_proposal_changelist") + "?p=2")
    finally:
        ProposalAdmin.list_per_page = previous
    with django_assert_max_num_queries(29):
        review = staff_client.get(reverse("admin:partnerships_proposal_change", args=[proposals[0].pk]))

    expected = [p.pk for p in sorted(proposals, key=lambda p: (-p.score, p.pk))][3:6]
    assert [proposal.pk for proposal in second.context["cl"].result_list] == expected
    assert review.status_code == 200 and "Town 0" in review.content.decode()


def test_the_proposal_search_finds_pairs_by_either_citys_name_in_any_language(staff_client):
    cusco = factories.city(name="Cusco", name_es="Cuzco")
    puebla = factories.city(name="Puebla")
    luoyang = factories.city(name="Luoyang", name_zh_hans="洛阳")
    Proposal.objects.create(city_a=cusco, city_b=puebla, score=1)
    Proposal.objects.create(city_a=puebla, city_b=luoyang, score=2)

    def found(term):
        response = staff_client.get(reverse("admin:partnerships_proposal_changelist"), {"q": term})
        return sorted(str(proposal) for proposal in response.context["cl"].result_list)

    assert found("cuzco") == found("Cusco") == [str(Proposal.objects.get(city_a=cusco))]
    assert found("洛阳 puebla") == [str(Proposal.objects.get(city_b=luoyang))]
    assert len(found("puebla")) == 2 and found("nowhere") == []
