"""The Chinese columns take django-modeltranslation's names (language code zh-hans: ``_zh_hans``),
keeping their data; the next migration hands the columns to modeltranslation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("surveys", "0009_text_size_limits")]

    operations = [
        migrations.RenameField("survey", "title_zh", "title_zh_hans"),
        migrations.RenameField("survey", "description_zh", "description_zh_hans"),
        migrations.RenameField("question", "text_zh", "text_zh_hans"),
        migrations.RenameField("option", "label_zh", "label_zh_hans"),
    ]
