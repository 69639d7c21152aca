"""Outcomes become records: a partnership's free-text joint activities become one JointActivity each
(its text as the title, a kind of "other", dated the day the partnership formed, for staff to
correct), and the check-in e-mails already scheduled get the CheckIn they ask about (one per
partnership, city and day)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    JointActivity = apps.get_model("partnerships", "JointActivity")
    CheckIn = apps.get_model("partnerships", "CheckIn")
    Invitation = apps.get_model("partnerships", "Invitation")
    for partnership in Partnership.objects.exclude(joint_activities=""):
        JointActivity.objects.create(
            partnership=partnership,
            title=partnership.joint_activities.strip()[:200],
            description=partnership.joint_activities.strip(),
            kind="other",
            status="done",
            starts_on=partnership.formed_at.date(),
        )
    for invitation in Invitation.objects.filter(kind="check_in", check_in__isnull=True).select_related(
        "partnership"
    ):
        check_in, _created = CheckIn.objects.get_or_create(
            partnership=invitation.partnership,
            city_id=invitation.city_id,
            after_days=invitation.check_in_after_days,
            defaults={"due_at": invitation.due_at},
        )
        if invitation.answer == "reported" and check_in.answered_at is None:
            report = invitation.answer_data or {}
            check_in.answered_at = invitation.answered_at
            check_in.answered_by_id = invitation.person_id
            check_in.still_active = report.get("progress") != "stalled"
            check_in.what_happened = "\n".join(
                part for part in (report.get("activities", ""), report.get("outcomes", "")) if part
            )
            check_in.save()
        invitation.check_in = check_in
        invitation.save(update_fields=["check_in"])


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0011_brokering_waiting_approvals_outcomes_and_item_sources")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
