"""The roles again (travelsouth/roles.py): Content editors work the translation queue, Brokers edit
the priority-to-theme links the matching scores with."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from travelsouth.roles import roles_sync

    roles_sync(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("travelsouth", "0002_staff_roles"),
        ("cities", "0012_good_practice_original_language_and_translation_queue"),
        ("partnerships", "0022_matching_neighbours_and_peers"),
        ("report", "0003_decisions_in_spanish_and_chinese"),
        ("surveys", "0008_anonymous_responses_without_respondent"),
        ("webinars", "0003_content_translations_of_the_report"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
