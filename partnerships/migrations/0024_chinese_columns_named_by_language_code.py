"""The Chinese columns take django-modeltranslation's names (language code zh-hans: ``_zh_hans``),
keeping their data; the next migration hands the columns to modeltranslation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0023_text_size_limits")]

    operations = [
        migrations.RenameField("developmentpriority", "name_zh", "name_zh_hans"),
        migrations.RenameField("trainingworkshop", "title_zh", "title_zh_hans"),
        migrations.RenameField("trainingworkshop", "description_zh", "description_zh_hans"),
    ]
