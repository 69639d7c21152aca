"""A crawl of the Spanish and Chinese portal, public and official pages, looking for the English that
issue 15 found there: the report's headings, roles, organisations, notes and platform names, and the
interface's own strings. Text marked ``lang="en"`` is left out of the check: the report's quotes keep
their English original beside the translation. People's names are not checked."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest

from cities.models import City, Person
from cities.services import person_consent_give
from tests import factories

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Opening Remarks",
    "Showcasing Cities",
    "Closing Remarks",
    "Presentations and Discussion",
    "Welcome by UNOSSC",
    "All media platforms (combined)",
    "Full recordings on request",
    "Delivered in Chinese, English and Spanish",
    "Media platforms' databases",
    "United Nations Office for South-South Cooperation",
    "United Nations World Tourism Organization",
    "National Association of Mexican World Heritage Cities",
    "Historic Centre of",
    "Mogao Caves",
    "Deputy Director",
    "Vice Mayor of",
    "Director of Tourism",
    "Secretary of Tourism",
    "Digitalization has not only provided",
    "Interest form for",
    "survey:",
    "Consent page (web)",
    "This password is too short",
    "As printed in the report",
]
SKIPPED = ("/i18n/", "/admin/", "/api/", "/accounts/logout/", "/media/", "/static/")
PAGE_LIMIT = 160


def visible_text(html: str) -> str:
    """What a reader sees in the page's own language: no markup, scripts, or English originals."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<blockquote lang="en">.*?</blockquote>', " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(html).split())


def crawl(client, prefix: str) -> dict[str, list[str]]:
    """Every page reachable from ``prefix`` + "/" (and the official's dashboard), with the English
    texts each shows."""
    queue, seen, found = (
        deque([f"{prefix}/", f"{prefix}/officials/", f"{prefix}/officials/consent/"]),
        set(),
        {},
    )
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        text = visible_text(html)
        if english := [phrase for phrase in ENGLISH if phrase in text]:
            found[path] = english
        for href in re.findall(r'href="([^"#][^"]*)"', html):
            link = urldefrag(unescape(href))[0]
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(f"{prefix}/") or parts.path.startswith(SKIPPED):
                continue
            if "format=csv" in link or parts.path.endswith((".csv", ".pdf")):
                continue
            queue.append(link)
    assert len(seen) > 40, seen
    return found


@pytest.mark.parametrize("prefix", ["/es", "/zh-hans"])
def test_spanish_and_chinese_pages_show_none_of_the_english_the_issue_found(client, report_data, prefix):
    account = factories.official(city_=City.objects.get(slug="oaxaca"))
    person = Person.objects.get(user=account)
    person_consent_give(person=person, source=f"Interest form for Oaxaca (web, interest #{person.pk})")
    person_consent_give(person=person, source="survey:seguimiento-2026")
    client.force_login(account)

    assert crawl(client, prefix) == {}


# --- The admin's brokering pages ------------------------------------------------------------------
# The admin has one address for every language: the language comes from the menu's cookie. Besides
# the issue's English texts, a page must show none of our catalogue's messages in English (those of
# more than two words, so that a city's name or a code is not taken for one).


# Content the brokering pages name (the evidence for a proposal cites the survey by its title).
ADMIN_ENGLISH = ["Post-webinar survey and assessment"]


def untranslated_messages(language: str) -> list[str]:
    """Our catalogue's English messages that ``language`` translates into something else."""
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[2] / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = re.findall(r'\nmsgid "(.+)"\nmsgstr "(.+)"\n', catalogue.read_text(encoding="utf-8"))
    return [
        msgid
        for msgid, msgstr in entries
        if msgid != msgstr and len(msgid.split()) > 2 and "%" not in msgid and "{" not in msgid
    ]


def brokering_pages() -> list[str]:
    from partnerships.models import Interest, Proposal

    proposal = Proposal.objects.order_by("pk").first()
    interest = Interest.objects.order_by("pk").first()
    return [
        "/admin/partnerships/proposal/",
        f"/admin/partnerships/proposal/{proposal.pk}/change/",
        "/admin/partnerships/interest/",
        f"/admin/partnerships/interest/{interest.pk}/change/",
        "/admin/partnerships/partnership/",
        "/admin/partnerships/invitation/",
    ]


@pytest.mark.parametrize(("language", "catalogue"), [("es", "es"), ("zh-hans", "zh_Hans")])
def test_the_admins_brokering_pages_read_in_spanish_and_chinese(client, report_data, language, catalogue):
    from django.conf import settings

    from partnerships.matching.runs import matching_run_create, matching_run_execute

    matching_run_execute(run=matching_run_create(trigger="test"))
    client.force_login(_staff())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    messages = untranslated_messages(catalogue)

    found = {}
    for path in brokering_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        if english := [phrase for phrase in [*ENGLISH, *ADMIN_ENGLISH, *messages] if phrase in text]:
            found[path] = english

    assert found == {}


def _staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="broker", email="broker@unossc.example", password="a-Long-enough-passw0rd"
    )
