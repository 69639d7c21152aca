from django.urls import path

from .views import interests, partnerships

app_name = "partnerships"

urlpatterns = [
    # Public: formed partnerships, no personal data.
    path("", partnerships.partnership_list, name="list"),
    path("<int:pk>/", partnerships.partnership_detail, name="detail"),
    # The two cities' officials and staff only.
    path("<int:pk>/manage/", partnerships.partnership_manage, name="manage"),
    path("<int:pk>/check-ins/<int:check_in_id>/", partnerships.check_in_answer, name="check_in_answer"),
    path(
        "<int:pk>/agreements/<int:agreement_id>/document/",
        partnerships.agreement_document,
        name="agreement_document",
    ),
    # Approved officials of the city only.
    path("interests/<slug:slug>/", interests.interest_register, name="interest_register"),
    path("interests/<slug:slug>/history/", interests.interest_history, name="interest_history"),
    path("interests/<slug:slug>/withdraw/", interests.interest_withdraw, name="interest_withdraw"),
]
