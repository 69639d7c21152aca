"""The report's content in Spanish and Chinese: the names, headings, positions and notes through
data/report/translations.yaml, the webinars' summaries and the quotes inline, shown on the pages with
the quotes' original beside their translation."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from cities.models import HeritageSite, Organisation
from report.models import Decision
from webinars.models import AgendaItem, Quote, ViewCount, Webinar

pytestmark = pytest.mark.django_db

DATA = Path(settings.REPORT_DATA_DIR)


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def report() -> dict:
    return yaml.safe_load((DATA / "travel-south-over-cloud.yaml").read_text())


def glossary() -> list[dict]:
    return yaml.safe_load((DATA / "translations.yaml").read_text())["translations"]


def printed_texts(data: dict) -> set[str]:
    """Every English text of the data set that translations.yaml translates."""
    texts = set()
    for row in data["organisations"]:
        texts |= {row["name"], row.get("acronym", "")}
    for city in data["cities"]:
        texts |= {site["name"] for site in city.get("heritage_sites", [])}
    texts |= {person.get("title", "") for person in data["people"]}
    for webinar in data["webinars"]:
        texts |= {webinar.get("recording_note", ""), *(view["platform"] for view in webinar["views"])}
        for item in webinar["agenda"]:
            texts |= {item.get("title", ""), item.get("role", ""), item.get("moderator_role", "")}
    texts.add(data["views_source"])
    for quote in data["quotes"]:
        texts |= {speaker.get("role", "") for speaker in quote["speakers"]}
    return {one_line(text) for text in texts if text}


def test_every_printed_text_has_a_spanish_and_a_chinese_entry_and_every_entry_is_used():
    entries = {one_line(entry["en"]): entry for entry in glossary()}

    texts = printed_texts(report())

    assert sorted(texts - set(entries)) == []
    assert sorted(set(entries) - texts) == []
    assert [en for en, entry in entries.items() if not (entry.get("es") and entry.get("zh-hans"))] == []
    assert [en for en, entry in entries.items() if set(entry) - {"en", "es", "zh-hans", "review"}] == []


def test_every_webinar_summary_and_quote_is_translated_and_uncertain_ones_say_why():
    data = report()

    assert [
        w["number"] for w in data["webinars"] if not (w.get("summary_es") and w.get("summary_zh_hans"))
    ] == []
    assert [i for i, q in enumerate(data["quotes"]) if not (q.get("text_es") and q.get("text_zh_hans"))] == []
    assert [
        d["id"]
        for d in data["decisions"]
        if not all(d.get(f"{f}_{s}") for f in ("issue", "decision") for s in ("es", "zh_hans"))
    ] == []
    reviews = [q["translation_review"] for q in data["quotes"] if "translation_review" in q]
    reviews += [entry["review"] for entry in glossary() if "review" in entry]
    assert len(reviews) > 10 and all(len(reason) > 20 for reason in reviews)


def test_un_bodies_carry_the_uns_own_spanish_and_chinese_names(report_data):
    names = {
        org.slug: (org.name_es, org.name_zh_hans, org.acronym_es)
        for org in Organisation.objects.filter(kind=Organisation.Kind.UN_ENTITY)
    }

    assert names == {
        "unossc": (
            "Oficina de las Naciones Unidas para la Cooperación Sur-Sur",
            "联合国南南合作办公室",
            "UNOSSC",
        ),
        "undp": ("Programa de las Naciones Unidas para el Desarrollo", "联合国开发计划署", "PNUD"),
        "unwto": ("Organización Mundial del Turismo", "世界旅游组织", "OMT"),
        "unesco": (
            "Organización de las Naciones Unidas para la Educación, la Ciencia y la Cultura",
            "联合国教育、科学及文化组织",
            "UNESCO",
        ),
        "uneca": ("Comisión Económica para África", "非洲经济委员会", "CEPA"),
    }


def test_the_loader_fills_every_translated_column_of_the_report(report_data):
    def blank(model, *fields):
        return [
            (str(row), field)
            for row in model.objects.all()
            for field in fields
            for suffix in ("es", "zh_hans")
            if getattr(row, field) and not getattr(row, f"{field}_{suffix}")
        ]

    assert blank(AgendaItem, "title", "speaker_role", "moderator_role") == []
    assert blank(Webinar, "title", "summary", "recording_note") == []
    assert blank(ViewCount, "platform", "source") == []
    assert blank(HeritageSite, "name") == []
    assert blank(Organisation, "name") == []
    assert blank(Quote, "text") == []
    assert blank(Decision, "issue", "decision") == []


@pytest.mark.parametrize(
    ("prefix", "expected", "english"),
    [
        (
            "/es",
            [
                "Palabras de apertura",
                "Ciudades que presentan sus experiencias",
                "Palabras de clausura",
                "Todas las plataformas de medios (en conjunto)",
                "Impartido en chino, inglés y español en cuatro horas.",
                "Asociación Nacional de Ciudades Mexicanas del Patrimonio Mundial (ANCMPM)",
                "Secretario de Turismo de Querétaro, México",
                "Queremos asegurarnos de que las comunidades locales en torno a las ruinas mayas",
                "Tal como se imprime en el informe (inglés):",
            ],
            ["Opening Remarks", "Showcasing Cities", "Closing Remarks", "All media platforms (combined)"],
        ),
        (
            "/zh-hans",
            [
                "开幕致辞",
                "城市展示",
                "闭幕致辞",
                "所有媒体平台（合计）",
                "以中文、英文和西班牙文进行，历时四小时。",
                "墨西哥世界遗产城市全国协会（ANCMPM）",
                "墨西哥克雷塔罗州旅游厅厅长",
                "我们希望确保玛雅遗址周边的当地社区不会因我们的工作而受到负面影响。",
                "报告原文（英语）：",
            ],
            ["Opening Remarks", "Showcasing Cities", "Closing Remarks", "All media platforms (combined)"],
        ),
    ],
)
def test_the_webinar_page_reads_in_the_visitors_language_with_the_quotes_original(
    client, report_data, prefix, expected, english
):
    page = client.get(f"{prefix}/webinars/webinar-4-china-mexico/").content.decode()

    assert [text for text in expected if text not in page] == []
    assert [text for text in english if text in page] == []
    # The original stays on the page, in its own language.
    assert re.search(r'<blockquote lang="en"><p>We want to ensure that the local communities', page)


def test_the_city_page_names_heritage_sites_in_the_visitors_language(client, report_data):
    spanish = client.get("/es/cities/oaxaca/").content.decode()
    chinese = client.get("/zh-hans/cities/dunhuang/").content.decode()

    assert "Centro histórico de Oaxaca y zona arqueológica de Monte Albán" in spanish
    assert "莫高窟" in chinese and "Mogao Caves" not in chinese


def test_english_pages_show_the_report_as_printed_without_a_translation(client, report_data):
    page = client.get("/webinars/webinar-4-china-mexico/").content.decode()

    assert "Showcasing Cities" in page and "Ciudades que presentan" not in page
    assert "As printed in the report" not in page
