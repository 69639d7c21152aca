"""Charts: server-drawn SVG with a title, a description and a label on every bar; the data behind
"Show the data"; a CSV of the same figures beside each chart."""

import csv
import io
import re

import pytest
from django.urls import reverse

from portal.charts import LABEL_WIDTH_UNITS, ChartRow, layout, text_units, wrap_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(shared_report_data):
    """The report loaded once for the module (tests/conftest.py): no test here commits."""
    return shared_report_data


def test_wrap_label_breaks_at_spaces_and_keeps_every_word():
    label = "Heritage conservation and the digital promotion of cultural tourism in cities"

    lines = wrap_label(label)

    assert " ".join(lines) == label
    assert len(lines) > 1
    assert all(text_units(line) <= LABEL_WIDTH_UNITS for line in lines)


def test_wrap_label_breaks_chinese_anywhere_counting_each_character_double():
    label = "数字化促进文化遗产保护与可持续旅游发展的城市经验交流"

    lines = wrap_label(label)

    assert "".join(lines) == label
    assert [text_units(line) for line in lines] == [36, 16]


def test_layout_scales_bars_to_the_largest_value_and_stacks_them():
    rows = [ChartRow("A", 10, "10"), ChartRow("B", 5, "5"), ChartRow("C", 0, "0")]

    drawn = layout(rows)

    assert [bar.width_percent for bar in drawn.bars] == [70, 35, 0]
    assert [bar.bar_y for bar in drawn.bars] == sorted(bar.bar_y for bar in drawn.bars)
    assert drawn.highest == rows[0]
    assert drawn.height > drawn.bars[-1].bar_y


def test_layout_of_all_zero_rows_has_no_highest_bar():
    drawn = layout([ChartRow("A", 0, "0")])

    assert (drawn.highest, drawn.bars[0].width_percent) == (None, 0)


def chart_figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart".*?</figure>', html, flags=re.S)


def test_home_views_chart_is_an_svg_with_title_description_bars_data_and_csv(client, report_data):
    html = client.get(reverse("home")).content.decode()

    [figure] = chart_figures(html)
    assert re.search(r'<svg role="img" aria-labelledby="chart-1-title chart-1-desc"', figure)
    assert '<title id="chart-1-title">Views per webinar</title>' in figure
    assert '<desc id="chart-1-desc">Bar chart of 4 bars. The longest: Webinar 3, 435,000.</desc>' in figure
    # every bar has its label and its value written next to it
    assert re.findall(r'<text x="0" y="\d+">([^<]+)</text>', figure) == [
        "Webinar 1",
        "Webinar 2",
        "Webinar 3",
        "Webinar 4",
    ]
    assert re.findall(r'<text class="bar-value"[^>]*>([^<]+)</text>', figure) == [
        "125,000",
        "115,000",
        "435,000",
        "351,000",
    ]
    assert re.search(r"<details>\s*<summary>Show the data</summary>\s*<table>", figure)
    assert 'href="/webinars/views.csv?series=travel-south-over-cloud" download' in figure
    assert 'style="' not in figure  # nothing a strict style-src would block


def test_charts_render_the_same_numbers_in_every_language(client, report_data):
    html = client.get("/zh-hans/").content.decode()

    [figure] = chart_figures(html)
    assert re.findall(r'<rect class="bar" x="0" y="\d+" width="([\d.]+)%"', figure) == [
        "20.11",
        "18.51",
        "70.0",
        "56.48",
    ]


def test_views_csv_has_one_row_per_webinar_with_its_views(client, report_data):
    response = client.get(reverse("webinars:views_csv"), {"series": "travel-south-over-cloud"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="travel-south-over-cloud-views.csv"'
    assert rows[0] == ["Series", "Webinar", "Title", "Broadcast", "Views"]
    assert [(row[1], row[3], row[4]) for row in rows[1:]] == [
        ("1", "August 2020", "125000"),
        ("2", "November 2020", "115000"),
        ("3", "December 2020", "435000"),
        ("4", "January 2021", "351000"),
    ]


def test_views_csv_of_an_unknown_series_is_not_found(client, report_data):
    response = client.get(reverse("webinars:views_csv"), {"series": "no-such-series"})

    assert response.status_code == 404


def test_each_survey_chart_links_a_csv_of_its_own_question(client, report_data):
    html = client.get("/surveys/post-webinar-survey-china-mexico/summary/").content.decode()
    links = re.findall(r'href="(/surveys/post-webinar-survey-china-mexico/results.csv\?question=\d+)"', html)

    first = client.get(links[0])

    rows = list(csv.reader(io.StringIO(b"".join(first.streaming_content).decode("utf-8-sig"))))
    assert len(links) == len(chart_figures(html)) - 1  # every chart but the views chart
    assert rows[0] == ["Answer", "Respondents", "Percent"]
    assert ["Tourism", "8", "80"] in rows
    assert first["Content-Disposition"].startswith('attachment; filename="post-webinar-survey-china-mexico-')


def test_a_question_csv_for_a_question_the_survey_lacks_is_a_bad_request(client, report_data):
    url = reverse("surveys:export_results", args=["post-webinar-survey-china-mexico"])

    responses = [client.get(url, {"question": value}) for value in ["999", "x"]]

    assert [r.status_code for r in responses] == [400, 400]
    assert responses[0].content.decode() == "No such question in this survey."
