"""Building surveys and handing out personal links in the admin."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from surveys.links import personal_link_url
from surveys.models import Option, Question, Survey, SurveyInvitee

from .builders import invite

pytestmark = pytest.mark.django_db


def changelist(model) -> str:
    return reverse(f"admin:surveys_{model._meta.model_name}_changelist")


def management_form(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_invitee_action_shows_each_personal_link(staff_client, kit):
    invitees = [invite(kit.survey, language="es"), invite(kit.survey, language="en")]

    page = staff_client.post(
        changelist(SurveyInvitee),
        {"action": "show_personal_links", "_selected_action": [invitee.pk for invitee in invitees]},
    )

    assert page.status_code == 200
    assert [(invitee.pk, url) for invitee, url in page.context["rows"]] == [
        (invitee.pk, personal_link_url(invitee=invitee))
        for invitee in sorted(invitees, key=lambda invitee: invitee.person.full_name)
    ]
    assert all(personal_link_url(invitee=invitee) in page.content.decode() for invitee in invitees)


def test_survey_action_exports_the_invitees_links_as_csv(staff_client, kit):
    invitee = invite(kit.survey, language="zh-hans", full_name="Li Wei", email="li@luoyang.example")

    export = staff_client.post(
        changelist(Survey), {"action": "export_personal_links", "_selected_action": [kit.survey.pk]}
    )

    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["Survey", "Person", "E-mail", "City", "Language", "Personal link"],
        ["after-webinar", "Li Wei", "li@luoyang.example", "", "zh-hans", personal_link_url(invitee=invitee)],
    ]


def test_publish_action_publishes_the_summary(staff_client, kit):
    staff_client.post(changelist(Survey), {"action": "publish_results", "_selected_action": [kit.survey.pk]})

    kit.survey.refresh_from_db()
    assert kit.survey.results_published


def test_a_choice_question_cannot_be_saved_without_options(staff_client, kit):
    question = kit.questions["format"]
    url = reverse("admin:surveys_question_change", args=[question.pk])
    data = {
        "survey": kit.survey.pk,
        "order": question.order,
        "kind": "single_choice",
        "required": "",
        "purpose": "",
        "text": question.text,
        "text_es": "",
        "text_zh_hans": "",
        "result_label": "",
        "rating_min": "",
        "rating_max": "",
        "asked_if_yes_to": "",
        **management_form("options", total=2, initial=2),
    }
    for index, option in enumerate(question.options.all()):
        data |= {
            f"options-{index}-id": option.pk,
            f"options-{index}-question": question.pk,
            f"options-{index}-order": option.order,
            f"options-{index}-label": option.label,
            f"options-{index}-DELETE": "on",
        }

    page = staff_client.post(url, data)

    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "A choice question needs options: add at least one."
    ]
    assert Option.objects.filter(question=question).count() == 2


def test_a_new_rating_question_needs_its_scale_in_the_survey_page(staff_client, kit):
    url = reverse("admin:surveys_survey_change", args=[kit.survey.pk])
    page = staff_client.get(url)
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data |= {
        "opens_at_0": kit.survey.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": kit.survey.opens_at.strftime("%H:%M:%S"),
        "closes_at_0": kit.survey.closes_at.strftime("%Y-%m-%d"),
        "closes_at_1": kit.survey.closes_at.strftime("%H:%M:%S"),
        "closes_at_precision": "day",
        "webinar": kit.survey.webinar_id,
        "is_anonymous": "",
        "results_published": "",
        "is_reconstructed": "",
        **management_form("questions", total=1),
        "questions-0-order": "30",
        "questions-0-kind": "rating",
        "questions-0-required": "on",
        "questions-0-purpose": "",
        "questions-0-text_en": "How useful was it?",
    }
    for key in ("opens_at", "closes_at", "series"):
        data.pop(key, None)

    saved = staff_client.post(url, data)

    assert saved.status_code == 200
    assert saved.context["inline_admin_formsets"][0].formset.errors == [
        {"rating_max": ["A rating question needs a scale: give its lowest and highest rating."]}
    ]
    assert not Question.objects.filter(order=30).exists()


def test_saving_a_survey_warns_of_choice_questions_without_options(staff_client, kit):
    kit.questions["format"].options.all().delete()
    url = reverse("admin:surveys_survey_change", args=[kit.survey.pk])
    data = {
        "slug": kit.survey.slug,
        "title_en": kit.survey.title_en,
        "title_es": kit.survey.title_es,
        "title_zh_hans": kit.survey.title_zh_hans,
        "description_en": "",
        "description_es": "",
        "description_zh_hans": "",
        "webinar": kit.survey.webinar_id,
        "opens_at_0": kit.survey.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": kit.survey.opens_at.strftime("%H:%M:%S"),
        "closes_at_0": kit.survey.closes_at.strftime("%Y-%m-%d"),
        "closes_at_1": kit.survey.closes_at.strftime("%H:%M:%S"),
        "closes_at_precision": "day",
        "note": "",
        **management_form("questions", total=0),
    }

    saved = staff_client.post(url, data)

    assert saved.status_code == 302
    assert "Question 8 needs options to choose from." in [
        str(message) for message in get_messages(saved.wsgi_request)
    ]


def test_survey_page_links_to_results_and_lists_problems(staff_client, kit):
    page = staff_client.get(reverse("admin:surveys_survey_change", args=[kit.survey.pk]))

    text = page.content.decode()
    assert reverse("surveys:results", args=[kit.survey.slug]) in text
    assert reverse("surveys:export_answers", args=[kit.survey.slug]) in text
    assert "None: the survey can be answered." in text
