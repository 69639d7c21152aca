"""The project's URLs plus, until the surveys work lands its answering page, a stand-in with its name.

Survey invitations carry ``surveys.links.personal_link_url``, which reverses ``surveys:answer``.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from travelsouth.urls import urlpatterns as project_urlpatterns


def _project_has_survey_answer_page() -> bool:
    try:
        reverse("surveys:answer", kwargs={"token": "token"}, urlconf="travelsouth.urls")
    except NoReverseMatch:
        return False
    return True


def answer_stand_in(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token)


urlpatterns = list(project_urlpatterns)
if not _project_has_survey_answer_page():
    urlpatterns.append(
        path("surveys/", include(([path("answer/<str:token>/", answer_stand_in, name="answer")], "surveys")))
    )
