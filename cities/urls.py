from django.urls import path

from .views import editing, public

app_name = "cities"

urlpatterns = [
    path("", public.city_list, name="list"),
    path("<slug:slug>/", public.city_detail, name="detail"),
    # Approved officials of the city only (see cities/views/editing.py).
    path("<slug:slug>/manage/", editing.city_manage, name="manage"),
    path("<slug:slug>/edit/", editing.city_edit, name="edit"),
    path("<slug:slug>/contacts/", editing.contacts, name="contacts"),
    path("<slug:slug>/contacts/<int:person_id>/edit/", editing.contact_edit, name="contact_edit"),
    path("<slug:slug>/contacts/<int:person_id>/remove/", editing.contact_remove, name="contact_remove"),
    path("<slug:slug>/practices/new/", editing.practice_create, name="practice_create"),
    path("<slug:slug>/practices/<slug:practice_slug>/edit/", editing.practice_edit, name="practice_edit"),
    path(
        "<slug:slug>/practices/<slug:practice_slug>/withdraw/",
        editing.practice_withdraw,
        name="practice_withdraw",
    ),
    path(
        "<slug:slug>/practices/<slug:practice_slug>/publish/",
        editing.practice_publish,
        name="practice_publish",
    ),
]
