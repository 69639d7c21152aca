"""The admin's home page is the staff's work queue; infrastructure stays out of the brokers' way; the
proposal review page opens on the decision."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cities.models import Country
from cities.services import city_propose, membership_request
from partnerships.models import CheckIn, Invitation, Partnership, Proposal
from portal.selectors import QueueEntry, staff_work_queue
from tests import factories
from tests.partnerships.invitations.builders import contact, proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    """Two requests to act for a city (one of them for a proposed city), two proposals awaiting review,
    one waiting for a contact and one decided, one failed invitation, one introduction sent today and
    one sent 15 days ago (the setting counts 14 as unanswered), and a partnership's check-ins: one due
    today, one due 20 days ago, one answered and one not due yet."""
    mexico = factories.country()
    morelia = factories.city(name="Morelia", country_=mexico)
    luoyang = factories.city(name="Luoyang", country_=factories.country(iso_code="CN", name="China"))
    puebla = factories.city(name="Puebla", country_=mexico)
    membership_request(user=factories.user(), city=morelia, full_name="Ana Ruiz", role="Tourism office")
    city_propose(
        user=factories.user(),
        name="Tlaxcala",
        kind="city",
        country=Country.objects.get(iso_code="MX"),
        full_name="Luis Pérez",
        role="Mayor's office",
    )
    introduced = proposal(first=morelia, second=luoyang)
    proposal(first=morelia, second=puebla)
    decided = Proposal.objects.create(city_a=luoyang, city_b=puebla, status=Proposal.Status.ACCEPTED)
    Proposal.objects.create(
        city_a=puebla, city_b=factories.city(name="Dunhuang"), status=Proposal.Status.WAITING
    )
    person = contact(city=morelia)
    # Sending and its retries are the invitations' own tests; the queue only counts the outcome.
    now = timezone.now()
    Invitation.objects.create(
        kind=Invitation.Kind.INTRODUCTION,
        person=person,
        city=morelia,
        proposal=introduced,
        status=Invitation.Status.FAILED,
        due_at=now,
    )
    Invitation.objects.create(
        kind=Invitation.Kind.INTRODUCTION,
        person=contact(city=morelia),
        city=morelia,
        proposal=introduced,
        status=Invitation.Status.SENT,
        sent_at=now,
        due_at=now,
    )
    Invitation.objects.create(
        kind=Invitation.Kind.INTRODUCTION,
        person=contact(city=luoyang),
        city=luoyang,
        proposal=introduced,
        status=Invitation.Status.SENT,
        sent_at=now - dt.timedelta(days=15),
        due_at=now - dt.timedelta(days=15),
    )
    partnership = Partnership.objects.create(
        proposal=decided, city_a=luoyang, city_b=puebla, formed_at=now - dt.timedelta(days=200)
    )
    for after_days, due_at, answered_at in [
        (30, now - dt.timedelta(hours=1), None),
        (90, now - dt.timedelta(days=20), None),
        (180, now - dt.timedelta(days=30), now),
        (365, now + dt.timedelta(days=30), None),
    ]:
        CheckIn.objects.create(
            partnership=partnership,
            city=puebla,
            after_days=after_days,
            due_at=due_at,
            answered_at=answered_at,
            still_active=None if answered_at is None else True,
        )


def test_the_work_queue_counts_what_awaits_review(work, staff_user):
    entries = staff_work_queue(user=staff_user)

    assert entries == [
        QueueEntry("Requests to act for a city", 2, "/admin/cities/citymembership/?status__exact=pending"),
        QueueEntry(
            "Proposed cities and local authorities", 1, "/admin/cities/city/?review_status__exact=pending"
        ),
        QueueEntry(
            "Partnership proposals awaiting review",
            2,
            "/admin/partnerships/proposal/?status__exact=pending",
        ),
        QueueEntry(
            "Approved pairs waiting for a contact", 1, "/admin/partnerships/proposal/?status__exact=waiting"
        ),
        QueueEntry(
            "Introductions unanswered after 14 days",
            1,
            "/admin/partnerships/invitation/?follow_up=unanswered",
        ),
        QueueEntry("Check-ins due, not answered yet", 1, "/admin/partnerships/checkin/?due=due"),
        QueueEntry(
            "Check-ins unanswered 14 days after their date", 1, "/admin/partnerships/checkin/?due=overdue"
        ),
        QueueEntry(
            "Invitations that failed to send", 1, "/admin/partnerships/invitation/?status__exact=failed"
        ),
    ]


def test_the_work_queue_shows_staff_only_what_they_may_see(work, django_user_model):
    broker = django_user_model.objects.create_user(username="broker", password="x", is_staff=True)
    broker.user_permissions.add(Permission.objects.get(codename="view_proposal"))
    official = factories.user()

    assert [entry.label for entry in staff_work_queue(user=broker)] == [
        "Partnership proposals awaiting review",
        "Approved pairs waiting for a contact",
    ]
    assert staff_work_queue(user=official) == []


def test_the_admin_home_page_renders_the_work_queue(work, staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):  # one count per entry, the follow-up setting, the admin's own
        page = staff_client.get(reverse("admin:index"))

    html = page.content.decode()
    queue = html[html.index('<section class="module work-queue"') : html.index("</section>")]
    assert re.findall(
        r'<a href="([^"]+)"><span class="count">(\d+)</span> <span class="label">([^<]+)</span>', queue
    ) == [
        ("/admin/cities/citymembership/?status__exact=pending", "2", "Requests to act for a city"),
        ("/admin/cities/city/?review_status__exact=pending", "1", "Proposed cities and local authorities"),
        ("/admin/partnerships/proposal/?status__exact=pending", "2", "Partnership proposals awaiting review"),
        ("/admin/partnerships/proposal/?status__exact=waiting", "1", "Approved pairs waiting for a contact"),
        (
            "/admin/partnerships/invitation/?follow_up=unanswered",
            "1",
            "Introductions unanswered after 14 days",
        ),
        ("/admin/partnerships/checkin/?due=due", "1", "Check-ins due, not answered yet"),
        ("/admin/partnerships/checkin/?due=overdue", "1", "Check-ins unanswered 14 days after their date"),
        ("/admin/partnerships/invitation/?status__exact=failed", "1", "Invitations that failed to send"),
    ]
    assert html.index("work-queue") < html.index('class="app-cities')


def test_the_queue_links_open_the_lists_of_what_awaits(work, staff_client):
    counts = [
        staff_client.get(entry.url).context["cl"].result_count
        for entry in staff_work_queue(user=staff_client.get(reverse("admin:index")).wsgi_request.user)
    ]

    assert counts == [2, 1, 2, 1, 1, 1, 1, 1]


def app_labels(page) -> list[str]:
    return [app["app_label"] for app in page.context["app_list"]]


def test_infrastructure_apps_are_hidden_from_staff_who_are_not_superusers(client, django_user_model):
    broker = django_user_model.objects.create_user(username="broker", password="x", is_staff=True)
    broker.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["axes", "sites", "account", "partnerships"])
    )
    client.force_login(broker)

    labels = app_labels(client.get(reverse("admin:index")))

    assert labels == ["partnerships"]


def test_superusers_see_the_infrastructure_apps_after_the_brokering_ones(staff_client):
    labels = app_labels(staff_client.get(reverse("admin:index")))

    brokering = ["cities", "partnerships", "report", "surveys", "travelsouth", "webinars"]
    assert sorted(labels[: len(brokering)]) == brokering
    assert set(labels[len(brokering) :]) == {"account", "auth", "axes", "sites"}


def test_the_proposal_page_opens_on_the_decision_with_the_actions_together(staff_client):
    morelia = factories.city(name="Morelia")
    luoyang = factories.city(name="Luoyang", country_=factories.country(iso_code="CN", name="China"))
    pending = proposal(first=morelia, second=luoyang)
    pending.reasons = [{"kind": "world_heritage", "weight": 1}]
    pending.save(update_fields=["reasons"])

    html = staff_client.get(reverse("admin:partnerships_proposal_change", args=[pending.pk])).content.decode()

    panel = html[html.index('<section class="decision-panel"') : html.index("</section>")]
    assert (
        panel.index("Why these cities")
        < panel.index("Who can be invited")
        < panel.index('class="decision-actions"')
    )
    assert panel.count("Nobody to invite yet.") == 2
    actions = panel[panel.index('class="decision-actions"') :]
    assert re.findall(r"<button[^>]*>([^<]+)</button>|<a [^>]*>([^<]+)</a>", actions) == [
        ("Approve and invite the cities", ""),
        ("", "Reject…"),
        ("", "History"),
    ]
    assert html.index("decision-panel") < html.index('id="proposal_form"')


def test_run_matching_sits_in_its_own_bar_under_the_list_title(staff_client):
    html = staff_client.get(reverse("admin:partnerships_proposal_changelist")).content.decode()

    title, bar = html.index("<h1>"), html.index('<div class="matching-bar">')
    assert title < bar < html.index('id="changelist"')
    assert "Run matching" in html[bar : html.index("</div>", bar)]
    assert "object-tools" not in html[title:bar]


def test_the_invitable_help_text_says_what_yes_means():
    field = Proposal._meta.get_field("is_invitable")

    # Whether they *had* one when the proposal was last scored: who can be invited now is shown per city.
    assert (
        str(field.help_text)
        == "Whether both cities had a contact who agreed to be contacted, when last scored."
    )
