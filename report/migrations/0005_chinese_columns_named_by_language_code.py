"""The Chinese columns take django-modeltranslation's names (language code zh-hans: ``_zh_hans``),
keeping their data; the next migration hands the columns to modeltranslation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("report", "0004_text_size_limits")]

    operations = [
        migrations.RenameField("decision", "issue_zh", "issue_zh_hans"),
        migrations.RenameField("decision", "decision_zh", "decision_zh_hans"),
    ]
