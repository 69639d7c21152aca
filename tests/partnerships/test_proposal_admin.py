"""The staff's review in the admin: the list, the detail page, decisions, themes, runs, partnerships."""

import pytest
from django.urls import reverse

from partnerships.matching.runs import matching_run_create, matching_run_execute
from partnerships.models import MatchingRun, MatchingSettings, Proposal, TimelineEvent
from tests import factories
from tests.partnerships import timeline_reading
from tests.partnerships.invitations.builders import formed_partnership

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:partnerships_proposal_changelist"


def change_url(proposal: Proposal) -> str:
    return reverse("admin:partnerships_proposal_change", args=[proposal.pk])


@pytest.fixture
def proposals(world):
    world.interest(world.morelia, partner_cities=[world.luoyang], priorities=[world.tourism])
    world.interest(world.oaxaca, partner_cities=[world.anyang], themes_sought=[world.e_commerce])
    matching_run_execute(run=matching_run_create(trigger="test"))
    return world


def inline_management(client, url: str) -> dict[str, int]:
    """The management form data of the page's inlines (the invitations), with no inline rows."""
    page = client.get(url)
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def listed(response) -> list[str]:
    return [str(proposal) for proposal in response.context["cl"].result_list]


def test_the_list_shows_proposals_best_first(staff_client, proposals):
    response = staff_client.get(reverse(CHANGELIST))

    assert listed(response) == [
        "Morelia - Luoyang",
        "Oaxaca - Anyang",
        "Oaxaca - São Paulo",  # 6 + neighbours in Latin America
        "Morelia - Anyang",
    ]
    assert b"Run matching" in response.content


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"status": "pending"},
            ["Morelia - Luoyang", "Oaxaca - Anyang", "Oaxaca - São Paulo", "Morelia - Anyang"],
        ),
        ({"is_invitable__exact": "1"}, ["Morelia - Luoyang"]),
        ({"is_triangular__exact": "1"}, []),
    ],
)
def test_the_list_filters_by_status_and_flags(staff_client, proposals, filters, expected):
    assert listed(staff_client.get(reverse(CHANGELIST), filters)) == expected


def test_the_list_filters_by_country_region_and_theme(staff_client, proposals):
    world = proposals

    by_country = staff_client.get(reverse(CHANGELIST), {"country": world.brazil.pk})
    by_region = staff_client.get(reverse(CHANGELIST), {"region": world.brazil.subregion_id})
    by_theme = staff_client.get(reverse(CHANGELIST), {"theme": world.cooperation.pk})

    assert listed(by_country) == ["Oaxaca - São Paulo"]
    assert listed(by_region) == listed(
        staff_client.get(reverse(CHANGELIST))
    )  # every pair has a Latin American
    assert listed(by_theme) == ["Morelia - Luoyang"]


def test_the_list_takes_the_same_queries_for_one_or_many_proposals(
    staff_client, world, django_assert_max_num_queries
):
    world.interest(world.morelia, partner_cities=[world.luoyang])
    matching_run_execute(run=matching_run_create(trigger="test"))
    with django_assert_max_num_queries(30) as one:
        staff_client.get(reverse(CHANGELIST))
    for number in range(8):
        city = factories.city(name=f"Extra {number}", country_=world.brazil if number % 2 else world.china)
        factories.good_practice(city_=city, themes=[world.heritage])
        world.interest(city, themes_sought=[world.heritage], priorities=[world.tourism])
    matching_run_execute(run=matching_run_create(trigger="test"))

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff_client.get(reverse(CHANGELIST))

    assert response.context["cl"].result_count > 8


def test_the_detail_page_explains_the_reasons_with_links_to_the_evidence(staff_client, proposals):
    world = proposals
    proposal = Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang)
    interest = world.morelia.interests.get(is_current=True)

    response = staff_client.get(change_url(proposal))

    html = response.content.decode()
    assert "Morelia named Luoyang as a city it wants to work with." in html
    assert (
        "Luoyang&#x27;s good practice “Regional tourism cooperation mechanisms” addresses Morelia&#x27;s priority Tourism."
        in html
    )
    assert reverse("admin:partnerships_interest_change", args=[interest.pk]) in html
    assert reverse("admin:cities_goodpractice_change", args=[world.luoyang_practice.pk]) in html
    assert "Approve and invite the cities" in html


def test_approving_from_the_detail_page_records_the_staff_member_in_the_timeline(
    staff_client, staff_user, proposals
):
    world = proposals
    proposal = Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang)
    url = reverse("admin:partnerships_proposal_approve", args=[proposal.pk])

    staff_client.post(url)
    again = staff_client.post(url, follow=True)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Proposal.Status.APPROVED, staff_user)
    events = proposal.timeline.filter(kind__in=["proposed", "approved"])
    assert list(events.values_list("kind", "actor")) == [("proposed", None), ("approved", staff_user.pk)]
    assert timeline_reading.who_and_sentence(events) == [
        ("Travel South", f"Proposed by matching run #{proposal.run_id} with score {proposal.score:g}."),
        ("staff", "Approved by staff."),
    ]
    assert [str(message) for message in again.context["messages"]] == [
        "Approved, and their cities invited: Morelia - Luoyang.",
        "Morelia - Luoyang: This proposal is no longer awaiting review.",
    ]


def test_rejecting_asks_for_a_reason_and_records_it(staff_client, staff_user, proposals):
    world = proposals
    proposal = Proposal.objects.get(city_a=world.oaxaca, city_b=world.anyang)
    url = reverse("admin:partnerships_proposal_reject", args=[proposal.pk])

    form = staff_client.get(url)
    empty = staff_client.post(url, {"reject": "Reject", "reason": "  "})
    done = staff_client.post(url, {"reject": "Reject", "reason": "Anyang asked to wait a year."})

    assert form.status_code == empty.status_code == 200
    assert empty.context["form"].errors == {"reason": ["This field is required."]}
    assert done["Location"] == change_url(proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == ("rejected", "Anyang asked to wait a year.")
    rejected = proposal.timeline.filter(kind="rejected")
    assert list(rejected.values_list("actor", flat=True)) == [staff_user.pk]
    assert timeline_reading.sentences(rejected) == ["Rejected by staff: Anyang asked to wait a year."]


def test_bulk_actions_approve_and_reject_with_a_reason(staff_client, proposals):
    world = proposals
    first = Proposal.objects.get(city_a=world.morelia, city_b=world.anyang)
    second = Proposal.objects.get(city_a=world.oaxaca, city_b=world.sao_paulo)
    third = Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang)

    staff_client.post(reverse(CHANGELIST), {"action": "approve_and_invite", "_selected_action": [third.pk]})
    asked = staff_client.post(
        reverse(CHANGELIST), {"action": "reject_selected", "_selected_action": [first.pk, second.pk]}
    )
    staff_client.post(
        reverse(CHANGELIST),
        {
            "action": "reject_selected",
            "_selected_action": [first.pk, second.pk],
            "reject": "Reject",
            "reason": "Too weak.",
        },
    )

    assert [str(proposal) for proposal in asked.context["proposals"]] == [
        "Oaxaca - São Paulo",
        "Morelia - Anyang",
    ]
    assert dict(Proposal.objects.values_list("id", "status")) == {
        third.pk: "approved",
        Proposal.objects.get(city_a=world.oaxaca, city_b=world.anyang).pk: "pending",
        first.pk: "rejected",
        second.pk: "rejected",
    }


def test_editing_the_themes_goes_through_the_service_and_survives_a_rerun(
    staff_client, staff_user, proposals
):
    world = proposals
    proposal = Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang)

    url = change_url(proposal)
    staff_client.post(
        url, {"themes": [world.heritage.pk, world.cooperation.pk], **inline_management(staff_client, url)}
    )
    matching_run_execute(run=matching_run_create(trigger="test"))

    proposal.refresh_from_db()
    assert sorted(proposal.themes.values_list("slug", flat=True)) == [
        "heritage-conservation",
        "regional-cooperation",
    ]
    assert proposal.themes_edited is True
    edited = proposal.timeline.filter(kind="themes_edited")
    assert list(edited.values_list("actor", flat=True)) == [staff_user.pk]
    assert timeline_reading.sentences(edited) == [
        "Themes changed by staff: Regional cooperation → Heritage conservation, Regional cooperation."
    ]


def test_the_run_matching_button_starts_a_run_and_shows_its_result(
    staff_client, staff_user, proposals, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.post(reverse("admin:partnerships_proposal_run_matching"))
    run = MatchingRun.objects.filter(trigger="admin").get()

    page = staff_client.get(started["Location"])

    assert started["Location"] == reverse("admin:partnerships_proposal_run", args=[run.pk])
    assert (run.status, run.started_by) == ("finished", staff_user)
    assert "0 new, 0 updated, 4 unchanged, 0 superseded" in page.content.decode()
    assert "Every pair a city named was proposed, or already is." in page.content.decode()


def test_a_running_run_page_refreshes_itself_with_its_progress(staff_client, proposals):
    run = MatchingRun.objects.create(
        scope=MatchingRun.Scope.ALL,
        status=MatchingRun.Status.RUNNING,
        stage="candidates",
        progress_done=3,
        progress_total=4,
    )

    page = staff_client.get(reverse("admin:partnerships_proposal_run", args=[run.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "candidates 75%" in page


def test_staff_track_a_partnerships_outcome_through_the_services(staff_client, staff_user, proposals):
    world = proposals
    proposal = Proposal.objects.get(city_a=world.morelia, city_b=world.luoyang)
    partnership = formed_partnership(proposal)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    inlines = inline_management(staff_client, url)

    staff_client.post(
        url,
        {
            "status": "mou_signed",
            "status_note": "Signed in Luoyang.",
            "outcome_notes": "A joint heritage route.",
            **inlines,
        },
    )
    staff_client.post(
        url,
        {"status": "closed", "outcome_notes": "Done.", **inlines},
    )
    reopened = staff_client.post(url, {"status": "active", "outcome_notes": "Done.", **inlines}, follow=True)

    partnership.refresh_from_db()
    assert (partnership.status, partnership.outcome_notes) == ("closed", "Done.")
    assert list(
        TimelineEvent.objects.filter(partnership=partnership)
        .order_by("id")
        .values_list("kind", "actor", "data__to")
    ) == [
        ("partnership_formed", None, None),
        ("status_changed", staff_user.pk, "mou_signed"),
        ("outcome_updated", staff_user.pk, None),
        ("status_changed", staff_user.pk, "closed"),
        ("outcome_updated", staff_user.pk, None),
    ]
    assert timeline_reading.sentences(TimelineEvent.objects.filter(data__to="mou_signed")) == [
        "Status changed by staff: Active → MoU signed. Signed in Luoyang."
    ]
    assert "A partnership cannot go from “closed” to “active”." in [
        str(message) for message in reopened.context["messages"]
    ]


def test_the_matching_settings_are_changed_through_the_service(staff_client, staff_user, world):
    settings_row = MatchingSettings.objects.get()
    data = {
        field.name: getattr(settings_row, field.name)
        for field in MatchingSettings._meta.concrete_fields
        if field.name not in {"id", "updated_at", "updated_by"}
    }
    data.update(proposals_per_city=2, allow_same_country="on")
    data = {name: value for name, value in data.items() if value is not False}

    staff_client.post(reverse("admin:partnerships_matchingsettings_change", args=[settings_row.pk]), data)

    settings_row.refresh_from_db()
    assert (settings_row.proposals_per_city, settings_row.allow_same_country, settings_row.updated_by) == (
        2,
        True,
        staff_user,
    )
