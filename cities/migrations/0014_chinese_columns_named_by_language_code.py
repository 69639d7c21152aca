"""The Chinese columns take django-modeltranslation's names (language code zh-hans: ``_zh_hans``),
keeping their data; the next migration hands the columns to modeltranslation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cities", "0013_text_size_limits")]

    operations = [
        migrations.RenameField("language", "name_zh", "name_zh_hans"),
        migrations.RenameField("region", "name_zh", "name_zh_hans"),
        migrations.RenameField("country", "name_zh", "name_zh_hans"),
        migrations.RenameField("theme", "name_zh", "name_zh_hans"),
        migrations.RenameField("sustainabledevelopmentgoal", "name_zh", "name_zh_hans"),
        migrations.RenameField("city", "name_zh", "name_zh_hans"),
        migrations.RenameField("city", "description_zh", "description_zh_hans"),
        migrations.RenameField("heritagesite", "name_zh", "name_zh_hans"),
        migrations.RenameField("organisation", "name_zh", "name_zh_hans"),
        migrations.RenameField("organisation", "acronym_zh", "acronym_zh_hans"),
        migrations.RenameField("goodpractice", "title_zh", "title_zh_hans"),
        migrations.RenameField("goodpractice", "summary_zh", "summary_zh_hans"),
        migrations.RenameField("person", "title_zh", "title_zh_hans"),
    ]
