"""The data set beside the report's text: names, roles, agendas, quotes and figures as the report prints them.

The report's text (data/report/travel-south-over-cloud-report.txt, an extraction of the published
report) and the data set (data/report/travel-south-over-cloud.yaml) are read side by side, so an edit
of the data set that drifts from what the report prints fails here. The report's layout interleaves
columns: a quote can be cut by its own attribution, and figures stand apart from their labels. The
comparison therefore works on the text with its whitespace collapsed, typographic quotes made plain
and the hyphen of "South-South" restored where the extraction lost it at a line's end (the data set's
decision quotes-verbatim); everything else must match exactly.

Exceptions are listed here, each with the data set's decision that explains it.
"""

import re
import unicodedata
from functools import cache

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from surveys.models import Survey
from surveys.selectors import survey_results
from webinars.selectors import series_detail

REPORT_TEXT = settings.REPORT_DATA_DIR / "travel-south-over-cloud-report.txt"
DATA_SET = settings.REPORT_DATA_DIR / "travel-south-over-cloud.yaml"

# The agenda prints "Ms. Zoritsa Urosevi"; the quotes and the data set say Urosevic (speaker-names).
PRINTED_AGENDA_NAMES = {"zoritsa-urosevic": "Zoritsa Urosevi"}
# Names the report prints only in another form.
PRINTED_CITY_NAMES = {"xiamen": "Gulangyu (Xiamen City, China)"}  # mexico-city-not-in-24
PRINTED_ORGANISATION_NAMES = {
    "icomos-mexico": "International Council for Monuments and Sites (ICOMOS) Mexico",
    "undp": "UNDP",  # named only by its acronym
}
# Words the report misspells or repeats inside quotes: the data set marks each with [sic].
MISPRINTS = ["digitial", "chosing", "to to to"]
EDITORIAL_MARKS = re.compile(r"\s*\[(?:sic|…)\]")
# Where each section's quotes begin: after the last words of its introduction.
SECTION_STARTS = {
    ("opening_messages", 1): "Opening Messages",
    ("highlights", 1): "promoting inclusive growth and sustainable development.",
    ("highlights", 2): "remains among the most sustainable and effective solutions.",
    ("highlights", 3): "individual entrepreneurs, including women and youth.",
    ("highlights", 4): "on promoting sustainable and inclusive tourism.",
    ("concluding_remarks", 1): "towards a common goal of achieving sustainable development.",
}
# What the report prints after a section's quotes.
SECTION_CLOSINGS = [
    "To find out more, please visit South-South Galaxy.",
    "Find out more, please visit South-South Galaxy.",
    "The webinar was delivered in Chinese, English and Spanish in four hours. Should you be interested "
    "in full webinar recordings, please contact southsouthcities@unossc.org",
    "24 WEBINAR SERIES: TRAVEL SOUTH OVER CLOUD South-South Cooperation in Promoting Tourism for "
    "Sustainable Development Against the Backdrop of COVID-19 Recovery",
]


def normalized(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("SouthSouth", "South-South")
    return " ".join(text.split())


def folded(text: str) -> str:
    """Without accents, for names the report prints both ways (Sao Paulo, São Paulo)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def report() -> str:
    return normalized(REPORT_TEXT.read_text(encoding="utf-8"))


@cache
def data_set() -> dict:
    return yaml.safe_load(DATA_SET.read_text(encoding="utf-8"))


def people() -> dict[str, dict]:
    return {row["slug"]: row for row in data_set()["people"]}


def between(start: str, end: str, *, after: str = "") -> tuple[int, int]:
    """The span of the report from the marker ``start`` to the marker ``end`` (both found after ``after``)."""
    origin = report().index(after) if after else 0
    first = report().index(start, origin)
    return first, report().index(end, first + len(start))


def section_span(section: str, webinar: int) -> tuple[int, int]:
    if section == "opening_messages":
        return between("Opening Messages", "Introduction About UNOSSC")
    if section == "concluding_remarks":
        return between("Concluding Remarks", "We will continue such webinar series")[0], len(report())
    starts = [
        "Webinar 1 South-South",
        "Webinar 2 Leveraging",
        "Webinar 3 Showcasing",
        "Webinar 4 China-Mexico",
    ]
    ends = [*starts[1:], "Survey and Assessments Findings"]
    return between(starts[webinar - 1], ends[webinar - 1], after="Highlights Webinar 1")


def quote_offset(row: dict) -> int:
    """Where the quote's words stand in the report; -1 when they are not there as printed.

    The quote's own attribution (names, roles) is taken out of the report first: the layout prints
    some of it inside the quote (Jorge Chediek's opening message).
    """
    text = report()
    for speaker in row["speakers"]:
        person = people()[speaker["person"]]
        for printed in (speaker.get("role", ""), f"{person.get('honorific', '')} {person['name']}".strip()):
            if printed:
                text = text.replace(normalized(printed), " ")
    text = " ".join(text.split())
    words = normalized(EDITORIAL_MARKS.sub("", row["text"]))
    if words not in text:
        return -1
    if words in report():
        return report().index(words)
    # Cut by its attribution: where its first words stand (they must stand nowhere else).
    assert report().count(words[:60]) == 1, words
    return report().index(words[:60])


# --- quotes ----------------------------------------------------------------------------------------


def test_the_data_set_has_the_reports_39_quotes_in_their_sections():
    quotes = data_set()["quotes"]

    counts = {}
    for row in quotes:
        key = row["section"] if row["section"] != "highlights" else f"highlights of webinar {row['webinar']}"
        counts[key] = counts.get(key, 0) + 1

    assert len(quotes) == 39
    assert counts == {
        "opening_messages": 3,
        "highlights of webinar 1": 10,
        "highlights of webinar 2": 6,
        "highlights of webinar 3": 8,
        "highlights of webinar 4": 10,
        "concluding_remarks": 2,
    }


def test_every_quote_is_printed_word_for_word_in_its_section_in_its_order():
    previous: dict[tuple[str, int], int] = {}
    for row in data_set()["quotes"]:
        offset = quote_offset(row)
        start, end = section_span(row["section"], row["webinar"])
        key = (row["section"], row["webinar"])

        assert offset >= 0, f"not as printed: {row['text'][:80]}"
        assert start <= offset < end, f"not in {key}: {row['text'][:80]}"
        assert offset > previous.get(key, -1), f"out of the report's order: {row['text'][:80]}"
        previous[key] = offset


def test_every_person_named_in_a_quotes_section_has_a_quote_there():
    """No quote is left out: whoever the highlights, opening messages or concluding remarks name
    (other than inside a quote's words) is the speaker of one of that section's quotes."""
    quoted = {}
    for row in data_set()["quotes"]:
        key = (row["section"], row["webinar"] if row["section"] == "highlights" else 0)
        quoted.setdefault(key, set()).update(speaker["person"] for speaker in row["speakers"])
    quote_texts = [normalized(EDITORIAL_MARKS.sub("", row["text"])) for row in data_set()["quotes"]]

    named = {}
    for key in quoted:
        start, end = section_span(key[0], key[1] or 1)
        section = report()[start:end]
        for words in quote_texts:
            section = section.replace(words, " ")
        named[key] = {slug for slug, person in people().items() if person["name"] in section}

    assert named == quoted


def _section_key(row: dict) -> tuple[str, int]:
    return row["section"], row["webinar"] if row["section"] == "highlights" else 1


def _attributions(rows: list[dict]) -> list[str]:
    printed = []
    for row in rows:
        for speaker in row["speakers"]:
            person = people()[speaker["person"]]
            full = f"{person.get('honorific', '')} {person['name']}".strip()
            printed += [normalized(speaker.get("role", "")), full, person["name"]]
    return sorted({text for text in printed if text}, key=len, reverse=True)


@pytest.mark.parametrize("key", sorted(SECTION_STARTS), ids=lambda key: f"{key[0]}-{key[1]}")
def test_nothing_in_a_quotes_section_is_left_out(key):
    """From the end of the section's introduction to its end, the report prints only the data set's
    quotes, whole, and their attributions (and a closing line or two)."""
    rows = [row for row in data_set()["quotes"] if _section_key(row) == key]
    start, end = section_span(*key)
    text = report()[report().index(SECTION_STARTS[key], start) + len(SECTION_STARTS[key]) : end]

    # Attributions, then quotes, then attributions again: the layout cuts some of each by the other.
    for pass_ in ("attributions", "quotes", "attributions"):
        pieces = (
            _attributions(rows)
            if pass_ == "attributions"
            else [normalized(EDITORIAL_MARKS.sub("", row["text"])) for row in rows]
        )
        for piece in pieces:
            text = " ".join(text.replace(piece, " ").split())
    for line in SECTION_CLOSINGS:
        text = text.replace(line, " ")

    assert set(text.split()) <= {"Mr.", "Ms.", "Dr."}, text


def test_quotes_mark_the_reports_misprints_and_nothing_is_tidied():
    for row in data_set()["quotes"] + [
        {"text": practice["quote"]} for practice in data_set()["good_practices"] if practice["quote"]
    ]:
        for misprint in MISPRINTS:
            for match in re.finditer(re.escape(misprint), row["text"]):
                assert row["text"][match.end() :].startswith(" [sic]"), row["text"]
    assert sum("[sic]" in row["text"] for row in data_set()["quotes"]) == 2


def test_every_quote_has_its_speakers_and_the_roles_printed_with_it():
    without_quotes = report()
    for row in data_set()["quotes"]:
        without_quotes = without_quotes.replace(normalized(EDITORIAL_MARKS.sub("", row["text"])), " ")
    without_quotes = " ".join(without_quotes.split())

    for row in data_set()["quotes"]:
        offset = quote_offset(row)
        nearby = report()[max(0, offset - 500) : offset + len(row["text"]) + 600]
        for speaker in row["speakers"]:
            assert people()[speaker["person"]]["name"] in nearby, (speaker, row["text"][:60])
            if speaker.get("role"):
                assert normalized(speaker["role"]) in without_quotes, speaker["role"]


def test_good_practices_quote_the_report_in_excerpts():
    for practice in data_set()["good_practices"]:
        for fragment in normalized(practice["quote"]).split("[…]"):
            words = normalized(EDITORIAL_MARKS.sub("", fragment))
            assert words in report(), (practice["slug"], words)


# --- names and roles -------------------------------------------------------------------------------


def test_people_are_named_and_titled_as_printed():
    for slug, person in people().items():
        assert person["name"] in report(), slug
        assert normalized(person["title"]) in report(), (slug, person["title"])


def test_cities_and_organisations_are_named_as_printed():
    for city in data_set()["cities"]:
        printed = PRINTED_CITY_NAMES.get(city["slug"], city["name"])
        assert folded(normalized(printed)) in folded(report()), city["slug"]
    for organisation in data_set()["organisations"]:
        printed = PRINTED_ORGANISATION_NAMES.get(organisation["slug"], organisation["name"])
        assert normalized(printed) in report(), organisation["slug"]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_agenda_is_printed_row_by_row_as_the_data_set_has_it(number):
    """The report's agenda is exactly the data set's rows, in order: each heading once, the moderator
    with the title printed, each speaker with the role printed (or none). Webinar 4's agenda prints no
    honorifics; the others print the honorific the data set records."""
    webinar = next(row for row in data_set()["webinars"] if row["number"] == number)
    starts = ["Webinar 1 Welcome", "Webinar 2 Welcome", "Webinar 3 Welcome", "Webinar 4 Welcome"]
    start, end = between(
        starts[number - 1], [*starts[1:], "Highlights Webinar 1"][number - 1], after="Agenda"
    )

    def printed_name(slug: str) -> str:
        person = people()[slug]
        name = PRINTED_AGENDA_NAMES.get(slug, person["name"])
        return name if number == 4 else f"{person.get('honorific', '')} {name}".strip()

    printed = [f"Webinar {number}"]
    heading = None
    for item in webinar["agenda"]:
        if item["title"] != heading:
            printed.append(item["title"])
            heading = item["title"]
        if item.get("moderator"):
            printed += ["Moderator", printed_name(item["moderator"]), item["moderator_role"]]
        if item.get("speaker"):
            printed += [printed_name(item["speaker"]), item.get("role", "")]

    assert report()[start:end].strip() == normalized(" ".join(printed))


# --- figures ---------------------------------------------------------------------------------------


def test_view_counts_per_webinar_and_in_total():
    start, end = between("Number of Webinar Views", "Source: media platforms' databases")
    table = report()[start:end]
    printed = {
        int(number): int(views.replace(",", ""))
        for number, views in re.findall(r"Webinar (\d) ([\d,]+)", table)
    }
    total = int(re.search(r"Total ([\d,]+)", table).group(1).replace(",", ""))

    stored = {row["number"]: sum(view["views"] for view in row["views"]) for row in data_set()["webinars"]}

    assert stored == printed
    assert sum(stored.values()) == total == 1_026_000
    assert "approximately 1,026,000 live views" in report()


def test_webinar_titles_and_months_as_printed():
    for row in data_set()["webinars"]:
        month = row["broadcast_on"].strftime("%B %Y")
        assert f"{normalized(row['title'])}, broadcasted in {month}" in report(), row["number"]
        assert row["precision"] == "month"


def test_the_series_partners_and_organiser_as_the_executive_summary_names_them():
    start, end = between("In partnership with", "representatives of UN entities")
    acronyms = re.findall(r"\(([A-Z][A-Z-]+)\)", report()[start:end])
    organisations = {row["slug"]: row for row in data_set()["organisations"]}
    series = data_set()["series"]

    assert [organisations[slug]["acronym"].split()[0] for slug in series["partners"]] == acronyms
    assert len(acronyms) == 7
    assert f"Cities Project of the {organisations[series['organiser']]['name']}" in report()


def test_the_summarys_24_cities_and_local_authorities_and_11_countries(report_data):
    start, end = between("knowledge showcased:", ". Moreover")
    listed = re.split(r",\s*(?![^()]*\))(?:and )?", report()[start + len("knowledge showcased:") : end])
    countries, cities = map(
        int, re.search(r"(\d+) countries, (\d+) cities and local authorities", report()).groups()
    )
    showcased = [row for row in data_set()["cities"] if row.get("showcased")]

    def city_of(entry: str) -> str:
        name, _, detail = entry.strip().partition("(")
        return next(
            row["slug"]
            for row in data_set()["cities"]
            if folded(normalized(row["name"]))
            in (folded(name.strip()), *map(str.strip, folded(detail).rstrip(")").split(",")))
        )

    figures = series_detail(slug=data_set()["series"]["slug"])

    assert len(listed) == 25  # Dunhuang twice (dunhuang-twice)
    assert sorted({city_of(entry) for entry in listed}) == sorted(row["slug"] for row in showcased)
    assert (len(showcased), cities) == (24, 24)
    assert len(figures.showcased_cities) == cities
    assert len(figures.countries) == countries == 11  # Ghana the eleventh (eleven-countries)


def test_the_survey_figures(report_data):
    survey_row = data_set()["survey"]
    responses, cities = map(
        int,
        re.search(
            r"As of 31 December, (\d+) responses to the survey from (\d+) Mexican cities", report()
        ).groups(),
    )
    start, end = between("Notably,", "It was identified")
    findings = report()[start:end]
    yes_no = [row for row in survey_row["questions"] if row["kind"] == "yes_no" and row["order"] <= 8]
    printed_shares = [int(share) for share in re.findall(r"(\d+)%", findings)]
    label_order = sorted(yes_no, key=lambda row: findings.index(row["result_label"]))
    survey = Survey.objects.get(slug=survey_row["slug"])
    results = survey_results(survey=survey, user=AnonymousUser(), public=True)
    priorities = dict(
        re.findall(
            r"(?:and )?(\w[\w ]*?) \((\d+)\)",
            report()[report().index("• Tourism") : report().index("were prioritized")],
        )
    )
    chinese = report()[report().index("• 90% participants") : report().index("for collaboration in tourism")]
    named = dict(re.findall(r"(?:and )?(\w[\w' ]*?) \((\d+)\)", chinese.split("including", 1)[1]))

    assert (len(survey_row["responses"]), len({row["city"] for row in survey_row["responses"]})) == (
        responses,
        cities,
    )
    assert (results.response_count, results.city_count) == (10, 8)
    assert (survey.closes_at.day, survey.closes_at.month, survey.closing_year_unstated) == (31, 12, True)
    assert [results.question(row["order"]).yes.percent for row in label_order] == printed_shares
    assert {label.lower(): count for label, count in results.question(9).counts.items()} == {
        label.strip().lower(): int(count) for label, count in priorities.items()
    }
    assert results.question(10).yes.percent == int(re.search(r"(\d+)% participants", chinese).group(1))
    assert {
        label.lower().replace("(", "").replace(")", ""): count
        for label, count in results.question(11).counts.items()
    } == {label.strip().lower(): int(count) for label, count in named.items()}
