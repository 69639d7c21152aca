"""Timeline entries store data, not sentences: what the stored English messages said becomes data, so
that the sentence can be made in the reader's language (partnerships/timeline.py). The next migration
drops the message column.

Kinds whose data already held everything (proposed, rescored, superseded, approved, rejected, status
changed, outcome updated, invitation cancelled or resent) only lose their system actor label. The
others gain what their sentence names: the city (no contact, a city's answer, an expiry), the people
invited, the themes as ids. A message this migration cannot read is kept whole as ``data["text"]``
and shown as it was written.
"""

from django.db import migrations

SYSTEM_LABELS = {"Travel South", "Travel South matching"}


def _person_and_city(Invitation, invitation_id):
    invitation = Invitation.objects.filter(pk=invitation_id).select_related("person").first()
    if invitation is None:
        return None, None
    return invitation.person.full_name, invitation.city_id


def forwards(apps, schema_editor):
    TimelineEvent = apps.get_model("partnerships", "TimelineEvent")
    Invitation = apps.get_model("partnerships", "Invitation")
    City = apps.get_model("cities", "City")
    Theme = apps.get_model("cities", "Theme")
    theme_ids = dict(Theme.objects.values_list("name", "pk"))

    for event in TimelineEvent.objects.iterator():
        data = dict(event.data or {})
        message = event.message or ""
        label = event.actor_label
        kind = event.kind
        if label in SYSTEM_LABELS:
            label = ""
        if kind == "no_contact" and "city" not in data:
            name = message.split(":", 1)[0].strip()
            city = City.objects.filter(name=name).values_list("pk", flat=True).first()
            if city is not None:
                data["city"] = city
            else:
                data["text"] = message
        elif kind == "invitations_created" and "people" not in data:
            people = []
            for invitation_id in data.get("invitations", []):
                person, city = _person_and_city(Invitation, invitation_id)
                if person is not None:
                    people.append([person, city])
            data["people"] = people
        elif kind == "invitation_expired" and "person" not in data:
            person, city = _person_and_city(Invitation, data.get("invitation"))
            if person is not None:
                data.update(person=person, city=city)
            else:
                data["text"] = message
        elif kind in ("city_accepted", "city_declined", "check_in"):
            person, city = _person_and_city(Invitation, data.get("invitation"))
            if person is not None:
                label = person  # was "<person> (<city>)"; the city is data, named in the reader's language
                data.setdefault("city", city)
            elif message:
                data["text"] = message
        elif kind == "themes_edited":
            for key in ("before", "after"):
                data[key] = [
                    theme_ids.get(name, name) if isinstance(name, str) else name for name in data.get(key, [])
                ]
        elif (
            kind
            not in (
                "proposed",
                "rescored",
                "superseded",
                "approved",
                "rejected",
                "status_changed",
                "outcome_updated",
                "invitation_cancelled",
                "invitation_resent",
                "partnership_formed",
            )
            and message
        ):
            data["text"] = message
        if kind == "superseded" and "cause" not in data and message:
            data["text"] = message
        if data != (event.data or {}) or label != event.actor_label:
            event.data = data
            event.actor_label = label
            event.save(update_fields=["data", "actor_label"])


def backwards(apps, schema_editor):
    pass  # the messages come back empty; the data stays, which the old code also read


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0005_city_name_id_index"),
        ("partnerships", "0007_timeline_event_kinds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
