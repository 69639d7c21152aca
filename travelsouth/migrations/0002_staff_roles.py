"""The staff's roles (travelsouth/roles.py) as groups, each with its permissions."""

from django.db import migrations


def make_roles(apps, schema_editor):
    from travelsouth.roles import roles_sync

    roles_sync(apps, missing_ok=True)


def remove_roles(apps, schema_editor):
    from travelsouth.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("travelsouth", "0001_partner_api_token"),
        ("cities", "0007_help_texts_say_what_yes_means"),
        ("partnerships", "0018_invitation_retry_window_and_lease_grace"),
        ("report", "0002_loaded_rows"),
        ("surveys", "0006_invitee_personal_links_permission"),
        ("webinars", "0002_quotes_moderator_roles_undated_view_counts"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
