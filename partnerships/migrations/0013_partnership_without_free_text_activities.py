from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0012_outcomes_from_the_free_text_and_the_check_in_emails")]

    operations = [migrations.RemoveField(model_name="partnership", name="joint_activities")]
