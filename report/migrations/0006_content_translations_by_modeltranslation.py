"""The translated fields become django-modeltranslation's: an ``_en`` column per field, holding the
English that the base column holds (the base column keeps it too). A good practice written in another
language and not yet translated has a copy of its original in the base column: no English."""

from django.db import migrations, models


TRANSLATED = {"decision": ["issue", "decision"]}


def english_into_its_column(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("report", model_name)
        rows = model.objects.all()
        for field in fields:
            rows.update(**{f"{field}_en": models.F(field)})
    # The loader's records of what it wrote name the Chinese columns by their new names.
    loaded_row = apps.get_model("report", "LoadedRow")
    for record in loaded_row.objects.all():
        renamed = {
            (f"{name[:-3]}_zh_hans" if name.endswith("_zh") else name): value
            for name, value in record.values.items()
        }
        if renamed != record.values:
            record.values = renamed
            record.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [
        ("report", "0005_chinese_columns_named_by_language_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="decision_en",
            field=models.TextField(blank=True, verbose_name="what the data set does"),
        ),
        migrations.AddField(
            model_name="decision",
            name="issue_en",
            field=models.TextField(blank=True, verbose_name="what the report says"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="decision_es",
            field=models.TextField(blank=True, verbose_name="what the data set does"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="decision_zh_hans",
            field=models.TextField(blank=True, verbose_name="what the data set does"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="issue_es",
            field=models.TextField(blank=True, verbose_name="what the report says"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="issue_zh_hans",
            field=models.TextField(blank=True, verbose_name="what the report says"),
        ),
        migrations.RunPython(english_into_its_column, migrations.RunPython.noop),
    ]
