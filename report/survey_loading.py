"""The report loader's survey part: the post-webinar survey, its responses, and what they feed
(the cities' interests and the respondents' consent, through the same service as a submitted response)."""

from __future__ import annotations

from cities.models import Person
from partnerships import survey_answers as brokering
from partnerships.models import Interest
from partnerships.survey_answers import response_feed_brokering
from surveys.models import Answer, Option, Question, Response, Survey

from .common import ReportDataError, aware, translated
from .provenance import WITHHELD


class SurveyLoading:
    """Methods of the report loader (``loader.ReportLoader``) for surveys."""

    def load_survey(self, row: dict) -> Survey:
        survey = self.upsert(
            Survey,
            {"slug": row["slug"]},
            {
                **{name: row.get(name, "") for name in translated("title", "description")},
                "webinar": self.pick(self.webinars, row["webinar"], "webinar")
                if row.get("webinar")
                else None,
                "opens_at": aware(row["opens_at"]),
                "closes_at": aware(row["closes_at"]),
                "closes_at_precision": row.get("closes_at_precision", Survey.ClosingDatePrecision.DAY),
                "is_anonymous": row.get("anonymous", False),
                "results_published": row.get("results_published", False),
                "is_reconstructed": row.get("reconstructed", False),
            },
        )
        questions: dict[str, Question] = {}
        questions_by_order: dict[int, Question] = {}
        options: dict[tuple[str, str], Option] = {}
        for question_row in row["questions"]:
            question = self.upsert(
                Question,
                {"survey": survey, "order": question_row["order"]},
                {
                    "kind": question_row["kind"],
                    **{name: question_row.get(name, "") for name in translated("text")},
                    "result_label": question_row.get("result_label", ""),
                    "required": question_row.get("required", True),
                    "purpose": question_row.get("purpose", ""),
                    "country": (
                        self.pick(self.countries, question_row["country"], "country")
                        if question_row.get("country")
                        else None
                    ),
                    "asked_if_yes_to": (
                        self.pick(questions_by_order, question_row["asked_if_yes_to"], "question")
                        if question_row.get("asked_if_yes_to")
                        else None
                    ),
                },
            )
            questions[question_row["key"]] = question
            questions_by_order[question_row["order"]] = question
            for order, option_row in enumerate(question_row.get("options", []), start=1):
                options[(question_row["key"], option_row["label"])] = self.upsert(
                    Option,
                    {"question": question, "order": order},
                    {
                        **{name: option_row.get(name, "") for name in translated("label")},
                        "city": self.pick(self.cities, option_row["city"], "city")
                        if option_row.get("city")
                        else None,
                        "priority": (
                            self.pick(self.priorities, option_row["priority"], "priority")
                            if option_row.get("priority")
                            else None
                        ),
                    },
                )
        responses = [
            self.load_response(
                survey, questions, options, response_row, reconstructed=row.get("reconstructed", False)
            )
            for response_row in row["responses"]
        ]
        self.feed_brokering([response for response in responses if response is not WITHHELD])
        return survey

    def feed_brokering(self, responses: list[Response]) -> None:
        """The loaded answers become the cities' interests and the respondents' consent.

        Through the same service as a submitted response, so the same rules apply (see
        partnerships/survey_answers.py); it changes nothing when the cities and people already reflect them.
        A city's interest is counted once, however many of its people answered.
        """
        interest_outcomes: dict[int, set[str]] = {}
        for response in responses:
            outcome = response_feed_brokering(response=response)
            interest_outcomes.setdefault(response.city_id, set()).add(outcome.interest)
            if outcome.consent in (brokering.GIVEN, brokering.WITHDRAWN) and (
                (Person, response.respondent_id) not in self.created_in_this_run
            ):
                self.summary.record(Person, "updated")
        for outcomes in interest_outcomes.values():
            if brokering.CREATED in outcomes:
                self.summary.record(Interest, "created")
            elif brokering.UNCHANGED in outcomes:
                self.summary.record(Interest, "unchanged")

    def load_response(
        self,
        survey: Survey,
        questions: dict[str, Question],
        options: dict[tuple[str, str], Option],
        row: dict,
        *,
        reconstructed: bool,
    ) -> Response:
        city = self.pick(self.cities, row["city"], "city")
        respondent_row = row["respondent"]
        respondent = self.upsert(
            Person,
            {"slug": respondent_row["slug"]},
            self.person_values(
                {**respondent_row, "city": row["city"], "language": respondent_row.get("language", "es")},
                is_reconstructed=reconstructed,
            ),
        )
        response = self.upsert(
            Response,
            {"survey": survey, "respondent": respondent},
            {
                "city": city,
                "submitted_at": aware(row["submitted_at"]),
                "language": row.get("language", "es"),
                "is_reconstructed": reconstructed,
            },
        )
        given = row.get("answers", {})
        unknown = set(given) - set(questions)
        if unknown:
            raise ReportDataError(f"Response {respondent_row['slug']}: unknown questions {sorted(unknown)}.")
        yes_by_order: dict[int, bool] = {}
        if response is WITHHELD:
            return response
        held = {key: question for key, question in questions.items() if question is not WITHHELD}
        for key, question in sorted(held.items(), key=lambda item: item[1].order):
            if question.asked_if_yes_to_id and not yes_by_order.get(question.asked_if_yes_to.order):
                continue
            if question.kind == Question.Kind.YES_NO:
                yes = given.get(key, True)
                yes_by_order[question.order] = yes
                self.upsert(Answer, {"response": response, "question": question}, {"yes": yes})
            elif question.has_options:
                if key not in given:
                    continue
                answer = self.upsert(Answer, {"response": response, "question": question}, {})
                chosen = [self.pick(options, (key, label), "option") for label in given[key]]
                self.set_related(answer, "options", chosen)
            elif key in given:
                self.upsert(Answer, {"response": response, "question": question}, {"text": given[key]})
        return response
