from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from travelsouth.api.serializers import LinkField, RefField, RefSerializer, ref
from webinars.api.serializers import SeriesRefSerializer

from ..permissions import shows_who_answered


class SurveyListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("survey", source="*")
    slug = serializers.SlugField()
    title = serializers.CharField()
    title_es = serializers.CharField()
    title_zh_hans = serializers.CharField()
    description = serializers.CharField()
    description_es = serializers.CharField()
    description_zh_hans = serializers.CharField()
    webinar = RefField(
        "webinar", name="title", allow_null=True, help_text=_("The webinar it followed, if about one.")
    )
    series = serializers.SerializerMethodField(help_text=_("The series, if about the whole series."))
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    closes_at_precision = serializers.ChoiceField(
        choices=["day", "day_month"],
        help_text=_(
            "'day_month': the source gives the closing day and month but no year; the year is the data set's reading."
        ),
    )
    is_anonymous = serializers.BooleanField()
    results_published = serializers.BooleanField()
    response_count = serializers.IntegerField()
    results_url = serializers.SerializerMethodField()

    def get_series(self, survey) -> SeriesRefSerializer(allow_null=True):
        return {"slug": survey.series.slug, "title": survey.series.title} if survey.series_id else None

    def get_results_url(self, survey) -> str:
        return f"{self.context['links'].detail('survey', survey.pk)}results/"


class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    label = serializers.CharField()
    label_es = serializers.CharField()
    label_zh_hans = serializers.CharField()
    city = LinkField("city", allow_null=True, help_text=_("For a choice of cities: the city's URL."))


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    text_es = serializers.CharField()
    text_zh_hans = serializers.CharField()
    required = serializers.BooleanField()
    rating_min = serializers.IntegerField(allow_null=True)
    rating_max = serializers.IntegerField(allow_null=True)
    asked_if_yes_to = serializers.IntegerField(
        source="asked_if_yes_to_id",
        allow_null=True,
        help_text=_("Asked only after a yes to this question id."),
    )
    options = OptionSerializer(many=True)


class SurveyDetailSerializer(SurveyListSerializer):
    questions = QuestionSerializer(many=True)


class TallySerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_('"yes", "no", "unanswered", "option-<id>" or "rating-<n>".'))
    label = serializers.CharField()
    count = serializers.IntegerField()
    percentage = serializers.IntegerField(
        source="percent",
        help_text=_(
            "Whole percentage of respondents. Exclusive buckets (yes/no, single choice, rating, and "
            "'no answer') add up to exactly 100; multiple-choice options each stand alone."
        ),
    )
    city = LinkField("city", source="city_id", allow_null=True, help_text=_("The city an option names."))


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question_id")
    order = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    result_label = serializers.CharField(
        help_text=_("How the report phrases it, e.g. 'were satisfied with ...'.")
    )
    answer_count = serializers.IntegerField(source="answered", help_text=_("Respondents who answered it."))
    mean_rating = serializers.FloatField(source="rating_average", allow_null=True)
    choices = TallySerializer(many=True, source="tallies", help_text=_("Empty for free-text questions."))


class CountryCountSerializer(serializers.Serializer):
    iso_code = serializers.CharField(source="key")
    name = serializers.CharField()
    count = serializers.IntegerField()


class SurveyResultsSerializer(serializers.Serializer):
    """What ``surveys.selectors.survey_results`` computes, at the published summary's level of detail."""

    survey = serializers.SerializerMethodField()
    response_count = serializers.IntegerField()
    city_count = serializers.IntegerField(help_text=_("Distinct cities that answered."))
    country_count = serializers.IntegerField()
    by_country = CountryCountSerializer(many=True, help_text=_("Responses per country."))
    questions = QuestionResultSerializer(many=True)

    def get_survey(self, results) -> RefSerializer:
        survey = self.context["survey"]
        return ref(self.context["links"], "survey", survey.pk, survey.title)


RESULTS_CSV_HEADER = ["question_order", "question", "kind", "answer_count", "choice", "count", "percentage"]


def survey_results_csv_rows(results) -> list[dict]:
    """One line per question and choice; free-text questions have no choices, so no line."""
    return [
        {
            "question_order": question.order,
            "question": question.text,
            "kind": question.kind,
            "answer_count": question.answered,
            "choice": tally.label,
            "count": tally.count,
            "percentage": tally.percent,
        }
        for question in results.questions
        for tally in question.tallies
    ]


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    question_order = serializers.IntegerField(source="question.order")
    yes = serializers.BooleanField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    options = serializers.SerializerMethodField(help_text=_("Ids of the options chosen."))

    def get_options(self, answer) -> list[int]:
        return sorted(option.pk for option in answer.options.all())


class SurveyResponseSerializer(serializers.Serializer):
    """One respondent's answers (staff only). For an anonymous survey the answers alone: the fields
    that say who answered are null (surveys.permissions.shows_who_answered)."""

    WHO = ("id", "submitted_at", "language", "city", "respondent")
    _anonymous = _("Null for an anonymous survey.")

    id = serializers.IntegerField(allow_null=True, help_text=_anonymous)
    submitted_at = serializers.DateTimeField(allow_null=True, help_text=_anonymous)
    language = serializers.CharField(allow_null=True, help_text=_anonymous)
    city = RefField("city", allow_null=True, help_text=_anonymous)
    respondent = serializers.SerializerMethodField(help_text=_("Name; null for an anonymous survey."))
    answers = AnswerSerializer(many=True)

    def get_respondent(self, response) -> str | None:
        return response.respondent.display_name if response.respondent else None

    def to_representation(self, response):
        data = super().to_representation(response)
        if not shows_who_answered(self.context["survey"]):
            data.update(dict.fromkeys(self.WHO))
        return data
