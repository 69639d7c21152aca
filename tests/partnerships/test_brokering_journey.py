"""The report's journey, as HTML requests through the portal's own doors (issue 13): staff approve a
Mexico-China pair that cannot be invited yet; it waits; staff add a contact for the Mexican city, who
confirms by e-mail; an official of the Chinese city signs up, is approved and consents; the
introductions reach both with no staff action; both accept; the partnership appears on the public
pages; they record an activity; a check-in falls due and is answered."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client

from cities.models import City, CityMembership, Person
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.models import CheckIn, Invitation, Partnership, Proposal
from tests.partnerships import timeline_reading

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-harbour-lanterns-7"


def link_in(message, pattern: str) -> str:
    """The path of the first link in ``message`` matching ``pattern``."""
    found = re.search(rf"https?://[^/\s]+({pattern}\S*?/)(?=\s|$)", message.body, re.M)
    assert found, f"no {pattern} link in: {message.body}"
    return found.group(1)


def to(address: str):
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks, eager_tasks):
    """Run a door with what it queues after commit (tasks in-process, e-mail to the outbox)."""

    def run(door):
        with django_capture_on_commit_callbacks(execute=True):
            return door()

    return run


def test_staff_carry_a_mexico_china_pair_to_a_partnership_with_an_activity(
    client, staff_client, report_data, run_after_commit, settings
):
    settings.SITE_URL = "http://testserver"
    oaxaca, dunhuang = City.objects.get(slug="oaxaca"), City.objects.get(slug="dunhuang")

    # 1. Staff run matching and open the proposal: nobody in either city can be invited yet (the
    #    report's respondents are placeholders).
    run_after_commit(lambda: staff_client.post("/admin/partnerships/proposal/run-matching/"))
    proposal = Proposal.objects.get(city_a=dunhuang, city_b=oaxaca)
    page = staff_client.get(f"/admin/partnerships/proposal/{proposal.pk}/change/").content.decode()
    panel = page[page.index('<section class="decision-panel"') : page.index("</section>")]
    assert panel.count("Nobody to invite yet.") == 2
    assert "placeholder person from the report&#x27;s reconstructed data (never contacted)" in page

    # 2. Approve: the pair waits for a contact, and the message says exactly that.
    approved = run_after_commit(
        lambda: staff_client.post(f"/admin/partnerships/proposal/{proposal.pk}/approve/", follow=True)
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WAITING
    assert [str(message) for message in approved.context["messages"]] == [
        "Dunhuang - Oaxaca approved, waiting for a contact of Dunhuang, Oaxaca: nobody there has agreed to be "
        "contacted yet. The cities are invited as soon as someone does."
    ]
    assert not Invitation.objects.filter(kind=Invitation.Kind.INTRODUCTION).exists()

    # 3. Staff add a contact for Oaxaca from the proposal page; she confirms through the e-mailed link.
    run_after_commit(
        lambda: staff_client.post(
            f"/admin/partnerships/proposal/{proposal.pk}/cities/{oaxaca.pk}/add-contact/",
            {
                "full_name": "Rosa Martínez",
                "title": "Directora de Turismo",
                "email": "rosa@oaxaca.example",
                "preferred_language": "es",
            },
        )
    )
    [request] = to("rosa@oaxaca.example")
    assert request.subject == "[Travel South] ¿Puede la UNOSSC contactarle sobre alianzas para Oaxaca?"
    consent_link = link_in(request, "/es/invitations/consent/")
    assert "Rosa" in Client().get(consent_link).content.decode()
    run_after_commit(lambda: Client().post(consent_link))
    rosa = Person.objects.get(email="rosa@oaxaca.example")
    proposal.refresh_from_db()
    assert rosa.has_contact_consent
    assert proposal.status == Proposal.Status.WAITING  # Dunhuang still has nobody

    # 4. A Dunhuang official signs up in Chinese, asks to represent the city, is approved, consents.
    official = Client()
    run_after_commit(
        lambda: official.post(
            "/zh-hans/accounts/signup/",
            {"email": "li.na@dunhuang.example", "password1": PASSWORD, "password2": PASSWORD},
        )
    )
    official.post(link_in(to("li.na@dunhuang.example")[-1], "/zh-hans/accounts/confirm-email/"))
    official.post(
        "/zh-hans/officials/cities/request/",
        {"city": dunhuang.pk, "full_name": "Li Na", "role": "旅游局副局长", "message": ""},
    )
    membership = CityMembership.objects.get(user__email="li.na@dunhuang.example")
    run_after_commit(
        lambda: staff_client.post(
            "/admin/cities/citymembership/",
            {
                "action": "approve_memberships",
                "_selected_action": [membership.pk],
                "apply": "1",
                "reason": "",
            },
        )
    )
    run_after_commit(lambda: official.post("/zh-hans/officials/consent/", {"consent": "give"}))

    # 5. With no staff action, both cities are invited, each in its own language, saying why.
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    [to_rosa] = [message for message in to("rosa@oaxaca.example") if "/invitations/answer/" in message.body]
    [to_li] = [message for message in to("li.na@dunhuang.example") if "/invitations/answer/" in message.body]
    assert to_li.subject == "[Travel South] 伙伴关系提议：敦煌与瓦哈卡"
    assert "Li Na" in to_rosa.body  # her counterpart in Dunhuang
    assert "Rosa Martínez" in to_li.body
    assert "/es/cities/dunhuang" in to_rosa.body
    assert timeline_reading.of_kind("contact_found") == [
        "A contact of Oaxaca agreed to be contacted: both cities are now invited.".replace(
            "Oaxaca", "Dunhuang"
        )
    ]

    # 6. Both accept through their links: the first is told the other city must answer; after the
    #    second, each page says the partnership is formed and who to write to.
    pages = []
    for message in (to_rosa, to_li):
        accept = link_in(message, r"/(?:es|zh-hans)/invitations/answer/")
        Client().get(accept)
        pages.append(run_after_commit(lambda accept=accept: Client().post(accept, follow=True)))
    partnership = Partnership.objects.get(proposal=proposal)
    assert "Ahora falta la respuesta de Dunhuang" in pages[0].content.decode()
    formed_page = pages[1].content.decode()
    assert "好消息：两座城市都接受了提议，敦煌与瓦哈卡现已结为伙伴。" in formed_page
    assert "Rosa Martínez（rosa@oaxaca.example）" in formed_page
    assert f'href="/zh-hans/partnerships/{partnership.pk}/"' in formed_page
    rosa_again = Client().get(link_in(to_rosa, "/es/invitations/answer/")).content.decode()
    assert "Li Na (li.na@dunhuang.example)" in rosa_again
    formed = [message for message in to("rosa@oaxaca.example") if "li.na@dunhuang.example" in message.body]
    assert len(formed) == 1  # told, with her counterpart's address

    # 7. The partnership is on the public pages: the list, its page, both cities' pages, the home page.
    public = Client()
    assert "Dunhuang" in public.get("/partnerships/").content.decode()
    detail = public.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "li.na@dunhuang.example" not in detail and "rosa@oaxaca.example" not in detail
    for page in ("/cities/oaxaca/", "/cities/dunhuang/", "/"):
        assert f"/partnerships/{partnership.pk}/" in public.get(page).content.decode(), page

    # 8. The Dunhuang official records a joint activity on the partnership's page.
    recorded = official.post(
        f"/zh-hans/partnerships/{partnership.pk}/manage/",
        {
            "activity-title": "Mogao and Monte Albán exchange visit",
            "activity-kind": "exchange_visit",
            "activity-status": "planned",
            "activity-starts_on": dt.date.today().isoformat(),
        },
    )
    assert recorded.status_code == 302
    assert (
        "Mogao and Monte Albán exchange visit"
        in public.get(f"/partnerships/{partnership.pk}/").content.decode()
    )

    # 9. Thirty days on, the check-in falls due; Rosa answers it through the e-mailed link.
    shift = dt.timedelta(days=30)
    Invitation.objects.update(due_at=F("due_at") - shift, created_at=F("created_at") - shift)
    CheckIn.objects.update(due_at=F("due_at") - shift)
    Partnership.objects.update(formed_at=F("formed_at") - shift)
    run_after_commit(invitations_dispatch)  # the beat job: what is due goes out
    [check_in_mail] = [
        message for message in to("rosa@oaxaca.example") if "/invitations/check-in/" in message.body
    ]
    check_in_link = link_in(check_in_mail, "/es/invitations/check-in/")
    answered = Client().post(
        check_in_link,
        {"still_active": "yes", "what_happened": "Primera visita planificada.", "help_needed": ""},
    )
    assert answered.status_code == 302
    oaxaca_check_in = CheckIn.objects.get(partnership=partnership, city=oaxaca, after_days=30)
    assert (oaxaca_check_in.still_active, oaxaca_check_in.answered_by) == (True, rosa)
