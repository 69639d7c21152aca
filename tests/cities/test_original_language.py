"""Content has an original language: an official writes a good practice in any portal language (one
is required), visitors of the other languages read the original with a note of its language, and staff
find what is not yet translated in the admin's translation queue."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cities.models import GoodPractice
from cities.services import good_practice_create
from tests import factories

pytestmark = pytest.mark.django_db

SPANISH = {
    "title_es": "Rutas nocturnas por el centro histórico",
    "summary_es": "Visitas guiadas al anochecer, reservadas en línea.",
}
SPANISH_TEXTS = {"es": {"title": SPANISH["title_es"], "summary": SPANISH["summary_es"]}}


@pytest.fixture
def city():
    return factories.city(name="Oaxaca", name_zh_hans="瓦哈卡")


@pytest.fixture
def official_client(client, city):
    client.force_login(factories.official(city_=city))
    return client


def practice_create_path(city, language="es"):
    with translation.override(language):
        return reverse("cities:practice_create", args=[city.slug])


def test_an_official_publishes_a_practice_written_only_in_spanish(official_client, city):
    theme = factories.theme()

    response = official_client.post(
        practice_create_path(city), {**SPANISH, "themes": [theme.pk], "year": "2025"}
    )

    practice = GoodPractice.objects.get(city=city)
    assert response.status_code == 302
    assert (practice.status, practice.original_language) == ("published", "es")
    assert (practice.title_es, practice.summary_es) == (SPANISH["title_es"], SPANISH["summary_es"])
    # The base columns, every language's fallback, hold the original until it is translated; the
    # English columns stay blank.
    assert GoodPractice.objects.values_list("title", "summary", "title_en").get() == (
        SPANISH["title_es"],
        SPANISH["summary_es"],
        "",
    )
    with translation.override("zh-hans"):
        assert (practice.title, practice.summary) == (SPANISH["title_es"], SPANISH["summary_es"])


def test_other_languages_show_the_original_with_a_note_of_its_language(official_client, client, city):
    official_client.post(practice_create_path(city), {**SPANISH, "themes": [factories.theme().pk]})
    slug = GoodPractice.objects.get(city=city).slug

    pages = {
        prefix: client.get(f"{prefix}/good-practices/{slug}/").content.decode()
        for prefix in ["", "/es", "/zh-hans"]
    }

    assert all(SPANISH["title_es"] in page and SPANISH["summary_es"] in page for page in pages.values())
    assert "Original language: Spanish. Not yet translated." in pages[""]
    assert "原始语言：西班牙文。尚未翻译。" in pages["/zh-hans"]
    assert "Idioma original" not in pages["/es"]


def test_a_practice_with_no_complete_language_is_refused_and_nothing_is_saved(official_client, city):
    response = official_client.post(
        practice_create_path(city), {"title_es": "Solo un título", "themes": [factories.theme().pk]}
    )

    assert "Escriba el título y el resumen en al menos un idioma (inglés, español o chino)." in (
        response.content.decode()
    )
    assert GoodPractice.objects.filter(city=city).count() == 0


def test_editing_a_spanish_practice_leaves_the_english_boxes_empty(official_client, city):
    practice = good_practice_create(
        city=city, original_language="es", themes=[factories.theme()], texts=SPANISH_TEXTS
    )

    with translation.override("es"):
        page = official_client.get(
            reverse("cities:practice_edit", args=[city.slug, practice.slug])
        ).content.decode()

    english_title = re.search(r'<input[^>]*name="title_en"[^>]*>', page).group(0)
    assert "value=" not in english_title
    assert f'value="{SPANISH["title_es"]}"' in page


def test_staff_translate_from_the_queue_and_the_practice_leaves_it(client, staff_user, city):
    theme = factories.theme()
    spanish = good_practice_create(city=city, original_language="es", themes=[theme], texts=SPANISH_TEXTS)
    complete = good_practice_create(
        city=city,
        themes=[theme],
        title="Heritage app",
        summary="An app.",
        texts={
            "es": {"title": "App del patrimonio", "summary": "Una app."},
            "zh-hans": {"title": "遗产应用", "summary": "一个应用。"},
        },
    )
    client.force_login(staff_user)

    queue = client.get("/admin/cities/goodpracticetotranslate/").content.decode()
    assert SPANISH["title_es"] in queue and "Heritage app" not in queue
    assert "English, Simplified Chinese" in queue
    response = client.post(
        f"/admin/cities/goodpracticetotranslate/{spanish.pk}/change/",
        {
            "title_en": "Night routes through the historic centre",
            "summary_en": "Guided tours at nightfall, booked online.",
            **SPANISH,
            "title_zh_hans": "历史中心夜游路线",
            "summary_zh_hans": "黄昏时分的导览游，可在线预订。",
        },
    )

    assert response.status_code == 302
    assert SPANISH["title_es"] not in client.get("/admin/cities/goodpracticetotranslate/").content.decode()
    english = client.get(f"/good-practices/{spanish.slug}/").content.decode()
    assert "Night routes through the historic centre" in english and "Original language" not in english
    assert GoodPractice.objects.get(pk=complete.pk).original_language == "en"


def test_a_profile_written_only_in_spanish_is_shown_in_every_language(client, city):
    city.description_es = "Ciudad del mezcal y de la Guelaguetza."
    city.save()

    pages = {
        prefix: client.get(f"{prefix}/cities/{city.slug}/").content.decode()
        for prefix in ["", "/es", "/zh-hans"]
    }

    assert all("Ciudad del mezcal y de la Guelaguetza." in page for page in pages.values())
    # With a note of its language where it is not the visitor's.
    assert "Original language: Spanish. Not yet translated." in pages[""]
    assert "原始语言：西班牙文。尚未翻译。" in pages["/zh-hans"]
    assert "Idioma original" not in pages["/es"]


def test_a_translated_profile_has_no_note(client, city):
    city.description_en = "City of mezcal."
    city.description_es = "Ciudad del mezcal."
    city.save()

    pages = {
        prefix: client.get(f"{prefix}/cities/{city.slug}/").content.decode()
        for prefix in ["", "/es", "/zh-hans"]
    }

    assert ("City of mezcal." in pages[""], "Ciudad del mezcal." in pages["/es"]) == (True, True)
    assert "Original language" not in pages[""] and "Idioma original" not in pages["/es"]
    # Chinese readers get the English (the fallback), with its language named.
    assert "City of mezcal." in pages["/zh-hans"] and "原始语言：英文。尚未翻译。" in pages["/zh-hans"]
