"""Survey builders for the surveys tests: a small survey with every kind of question."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cities.models import City, CityMembership
from partnerships.models import DevelopmentPriority
from surveys.models import Option, Question, Survey, SurveyInvitee
from tests import factories
from webinars.models import Webinar, WebinarSeries


@dataclass
class SurveyKit:
    """A survey and its questions by name, the options by label, and two Chinese cities."""

    survey: Survey
    questions: dict[str, Question]
    options: dict[str, Option]
    luoyang: City
    anyang: City

    def q(self, name: str) -> int:
        return self.questions[name].pk

    def o(self, label: str) -> int:
        return self.options[label].pk

    def answers(self, **overrides) -> dict[int, object]:
        """A complete, valid set of answers; ``overrides`` by question name (``None`` removes)."""
        answers = {
            "satisfied": True,
            "consent": True,
            "priorities": [self.o("Tourism"), self.o("Transport")],
            "chinese": True,
            "cities": [self.o("Luoyang")],
            "areas": "Tourism and trade",
            "rating": 4,
            "format": self.o("Online"),
        }
        answers.update(overrides)
        return {self.q(name): value for name, value in answers.items() if value is not None}


def webinar(number: int = 1) -> Webinar:
    series = WebinarSeries.objects.filter(slug="series").first() or WebinarSeries.objects.create(
        slug="series", title="Series", organiser=factories.organisation(name="UNOSSC")
    )
    return Webinar.objects.get_or_create(
        series=series,
        number=number,
        defaults={
            "slug": f"webinar-{number}",
            "title": f"Webinar {number}",
            "broadcast_on": dt.date(2021, 1, 1),
        },
    )[0]


def priority(slug: str, name: str) -> DevelopmentPriority:
    return DevelopmentPriority.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def build_survey(
    *,
    slug: str = "after-webinar",
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    is_anonymous: bool = False,
    results_published: bool = False,
) -> SurveyKit:
    now = timezone.now()
    survey = Survey(
        slug=slug,
        title="After the webinar",
        title_es="Después del webinar",
        title_zh_hans="研讨会之后",
        webinar=webinar(),
        opens_at=opens_at or now - dt.timedelta(days=30),
        closes_at=closes_at or now + dt.timedelta(days=30),
        is_anonymous=is_anonymous,
        results_published=results_published,
    )
    survey.full_clean()
    survey.save()
    china = factories.country(iso_code="CN", name="China")
    luoyang = City.objects.filter(slug__startswith="luoyang").first() or factories.city(
        name="Luoyang", country_=china
    )
    anyang = City.objects.filter(slug__startswith="anyang").first() or factories.city(
        name="Anyang", country_=china
    )
    brokering = not is_anonymous
    specs = [
        ("satisfied", Question.Kind.YES_NO, "", True, {}),
        ("consent", Question.Kind.YES_NO, "consent" if brokering else "", True, {}),
        ("priorities", Question.Kind.MULTIPLE_CHOICE, "priorities" if brokering else "", True, {}),
        ("chinese", Question.Kind.YES_NO, "", True, {}),
        (
            "cities",
            Question.Kind.CITY_CHOICE,
            "partner_cities" if brokering else "",
            False,
            {"follow": "chinese"},
        ),
        ("areas", Question.Kind.FREE_TEXT, "", False, {"follow": "chinese"}),
        ("rating", Question.Kind.RATING, "", False, {"rating_min": 1, "rating_max": 5}),
        ("format", Question.Kind.SINGLE_CHOICE, "", False, {}),
    ]
    questions: dict[str, Question] = {}
    for order, (name, kind, purpose, required, extra) in enumerate(specs, start=1):
        question = Question(
            survey=survey,
            order=order,
            kind=kind,
            text=f"Question about {name}?",
            text_es=f"¿Pregunta sobre {name}?",
            text_zh_hans=f"关于{name}的问题",
            purpose=purpose,
            required=required,
            rating_min=extra.get("rating_min"),
            rating_max=extra.get("rating_max"),
            asked_if_yes_to=questions.get(extra.get("follow", "")),
        )
        question.full_clean()
        question.save()
        questions[name] = question
    option_specs = {
        "priorities": [
            ("Tourism", {"priority": priority("tourism", "Tourism"), "label_es": "Turismo"}),
            ("Transport", {"priority": priority("transport", "Transport"), "label_es": "Transporte"}),
            ("SMEs", {"priority": priority("smes", "SMEs"), "label_es": "Pymes"}),
        ],
        "cities": [
            ("Luoyang", {"city": luoyang}),
            ("Anyang", {"city": anyang}),
            ("Other (not specified)", {}),
        ],
        "format": [("Online", {}), ("In person", {})],
    }
    options: dict[str, Option] = {}
    for name, labels in option_specs.items():
        for order, (label, fields) in enumerate(labels, start=1):
            option = Option(question=questions[name], order=order, label=label, **fields)
            option.full_clean()
            option.save()
            options[label] = option
    return SurveyKit(survey=survey, questions=questions, options=options, luoyang=luoyang, anyang=anyang)


def invite(
    survey: Survey, *, city: City | None = None, language: str = "es", **person_fields
) -> SurveyInvitee:
    person = factories.person(preferred_language=language, **person_fields)
    invitee = SurveyInvitee(survey=survey, person=person, city=city)
    invitee.full_clean()
    invitee.save()
    return invitee


def approve_official(user, city: City) -> CityMembership:
    """An approved membership, as staff approval would leave it (issue 3 owns the flow)."""
    return CityMembership.objects.create(
        user=user, city=city, status=CityMembership.Status.APPROVED, decided_at=timezone.now()
    )
