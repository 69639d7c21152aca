"""The answering form: one field per question, built from the survey, in the active language.

The form only checks shapes (a known choice, a number); whether an answer is required, allowed (a
follow-up after a yes) and on the scale is ``services.response_submit``'s decision, whose errors the
view puts back next to the fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import City

from .models import Question, Response
from .services import FREE_TEXT_MAX_LENGTH, answer_field

YES, NO = "yes", "no"


def _yes_or_no(value: str) -> bool:
    return value == YES


def question_field(question: Question) -> forms.Field:
    label = f"{question.order}. {question.display_text}"
    kind = question.kind
    if kind == Question.Kind.YES_NO:
        field = forms.TypedChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=_yes_or_no,
            empty_value=None,
            widget=forms.RadioSelect,
        )
    elif kind == Question.Kind.SINGLE_CHOICE:
        field = forms.TypedChoiceField(
            choices=[(option.pk, option.display_label) for option in question.options.all()],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
        )
    elif kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.CITY_CHOICE):
        field = forms.TypedMultipleChoiceField(
            choices=[(option.pk, option.display_label) for option in question.options.all()],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
        )
    elif kind == Question.Kind.RATING:
        field = forms.TypedChoiceField(
            choices=[(value, str(value)) for value in range(question.rating_min, question.rating_max + 1)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
        )
    else:
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=FREE_TEXT_MAX_LENGTH, strip=True
        )
    field.label = label
    field.required = False  # response_submit decides, knowing the follow-ups
    field.answer_required = question.required and question.asked_if_yes_to_id is None
    if question.asked_if_yes_to_id:
        field.help_text = _("Answer only if you answered yes to question %(order)s.") % {
            "order": question.asked_if_yes_to.order
        }
    elif kind == Question.Kind.RATING:
        field.help_text = _("From %(lowest)s (lowest) to %(highest)s (highest).") % {
            "lowest": question.rating_min,
            "highest": question.rating_max,
        }
    elif kind in (Question.Kind.MULTIPLE_CHOICE, Question.Kind.CITY_CHOICE):
        field.help_text = _("Choose all that apply.")
    return field


def initial_answers(response: Response | None) -> dict:
    """A response's answers as the form's initial values (to change an earlier response).

    ``response`` comes from ``selectors.response_of`` (answers, their questions and options loaded).
    """
    if response is None:
        return {}
    initial: dict = {"city": response.city_id}
    for answer in response.answers.all():
        kind = answer.question.kind
        options = [option.pk for option in answer.options.all()]
        if kind == Question.Kind.YES_NO:
            value = None if answer.yes is None else (YES if answer.yes else NO)
        elif kind == Question.Kind.RATING:
            value = answer.rating
        elif kind == Question.Kind.SINGLE_CHOICE:
            value = options[0] if options else None
        elif kind == Question.Kind.FREE_TEXT:
            value = answer.text
        else:
            value = options
        initial[answer_field(answer.question_id)] = value
    return initial


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args, questions: list[Question], cities=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.asks_for_city = cities is not None
        if cities is not None:
            self.fields["city"] = forms.ModelChoiceField(
                queryset=cities, label=_("Answering for"), empty_label=None
            )
        for question in questions:
            self.fields[answer_field(question)] = question_field(question)

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[answer_field(question)] for question in self.questions]

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(answer_field(question)) for question in self.questions}

    @property
    def chosen_city(self) -> City | None:
        return self.cleaned_data.get("city")
