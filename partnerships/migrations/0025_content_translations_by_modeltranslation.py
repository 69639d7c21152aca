"""The translated fields become django-modeltranslation's: an ``_en`` column per field, holding the
English that the base column holds (the base column keeps it too). A good practice written in another
language and not yet translated has a copy of its original in the base column: no English."""

from django.db import migrations, models


TRANSLATED = {"developmentpriority": ["name"], "trainingworkshop": ["title", "description"]}


def english_into_its_column(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("partnerships", model_name)
        rows = model.objects.all()
        for field in fields:
            rows.update(**{f"{field}_en": models.F(field)})


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0024_chinese_columns_named_by_language_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="developmentpriority",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="trainingworkshop",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="trainingworkshop",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="developmentpriority",
            name="name_es",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="developmentpriority",
            name="name_zh_hans",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="trainingworkshop",
            name="description_es",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="trainingworkshop",
            name="description_zh_hans",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="trainingworkshop",
            name="title_es",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="trainingworkshop",
            name="title_zh_hans",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.RunPython(english_into_its_column, migrations.RunPython.noop),
    ]
