"""The data set's decisions and the report's quotes, as load_report writes them and pages link to them."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils.html import escape

from report.loading import load_report
from report.models import Decision
from webinars.models import Quote, QuoteSpeaker

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def data_set() -> dict:
    return yaml.safe_load((settings.REPORT_DATA_DIR / "travel-south-over-cloud.yaml").read_text())


def test_decisions_are_loaded_by_id_in_the_data_sets_order(report_data):
    expected = [(row["id"], row["issue"], row["decision"]) for row in data_set()["decisions"]]

    loaded = list(Decision.objects.order_by("order").values_list("slug", "issue", "decision"))

    assert loaded == expected
    assert {decision.series.slug for decision in Decision.objects.select_related("series")} == {
        "travel-south-over-cloud"
    }


def test_a_decision_has_its_own_page(client, report_data):
    decision = Decision.objects.get(slug="eleven-countries")

    response = client.get(decision.get_absolute_url())

    assert response.status_code == 200
    assert decision.get_absolute_url() == "/data/decisions/eleven-countries/"
    assert f"<dd>{escape(decision.issue)}</dd>" in response.content.decode()
    assert f"<dd>{escape(decision.decision)}</dd>" in response.content.decode()
    spanish = client.get("/es/data/decisions/eleven-countries/")
    assert spanish.status_code == 200
    assert f"<dd>{escape(decision.issue_es)}</dd>" in spanish.content.decode()
    assert "El undécimo es Ghana" in decision.decision_es
    assert client.get("/data/decisions/no-such-decision/").status_code == 404


def test_every_decision_a_page_links_to_is_in_the_data_set():
    referenced = set()
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        referenced |= set(re.findall(r"""'report:decision' '([a-z0-9-]+)'""", text))
        referenced |= set(re.findall(r""""([a-z0-9-]+)" in overview\.decision_ids""", text))

    assert referenced
    assert referenced <= {row["id"] for row in data_set()["decisions"]}


def test_loading_the_report_has_39_quotes_with_their_speakers(report_data):
    quotes = Quote.objects.all()

    assert quotes.count() == 39
    assert QuoteSpeaker.objects.count() == 40  # São Paulo's quote has two speakers
    assert set(quotes.values_list("language__code", flat=True)) == {"en"}
    assert list(Quote.objects.filter(city__slug="mexico-city").values_list("text", flat=True)) == [
        row["text"] for row in data_set()["quotes"] if row.get("city") == "mexico-city"
    ]


def test_a_quote_or_decision_the_data_set_drops_is_deleted_on_the_next_load(tmp_path, report_data):
    for name in ("vocabulary.yaml", "travel-south-over-cloud.yaml"):
        shutil.copy(settings.REPORT_DATA_DIR / name, tmp_path / name)
    edited = data_set()
    dropped_quote = edited["quotes"].pop()  # the second passage of the concluding remarks
    edited["decisions"] = [row for row in edited["decisions"] if row["id"] != "view-platforms"]
    edited["quotes"][-1]["speakers"].append({"person": "muriel-obon", "role": "Moderator"})
    (tmp_path / "travel-south-over-cloud.yaml").write_text(yaml.safe_dump(edited, allow_unicode=True))

    summary = load_report(data_dir=tmp_path)

    assert summary.changed
    assert Quote.objects.count() == 38
    assert not Quote.objects.filter(text=dropped_quote["text"]).exists()
    assert not Decision.objects.filter(slug="view-platforms").exists()
    assert list(
        Quote.objects.get(section="concluding_remarks").attributions.values_list("person__slug", "role")
    ) == [
        ("xiaojun-grace-wang", "Deputy Director, United Nations Office for South-South Cooperation (UNOSSC)"),
        ("muriel-obon", "Moderator"),
    ]

    load_report()

    assert (Quote.objects.count(), Decision.objects.count()) == (39, len(data_set()["decisions"]))
    assert Quote.objects.get(section="concluding_remarks", position=1).attributions.count() == 1


def test_an_unknown_speaker_of_a_quote_stops_the_load(tmp_path, db):
    for name in ("vocabulary.yaml", "travel-south-over-cloud.yaml"):
        shutil.copy(settings.REPORT_DATA_DIR / name, tmp_path / name)
    edited = data_set()
    edited["quotes"][0]["speakers"] = [{"person": "nobody-at-all"}]
    (tmp_path / "travel-south-over-cloud.yaml").write_text(yaml.safe_dump(edited, allow_unicode=True))

    with pytest.raises(Exception, match="Unknown person 'nobody-at-all'"):
        load_report(data_dir=tmp_path)

    assert Quote.objects.count() == 0
