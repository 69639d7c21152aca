"""The translated fields become django-modeltranslation's: an ``_en`` column per field, holding the
English that the base column holds (the base column keeps it too). A good practice written in another
language and not yet translated has a copy of its original in the base column: no English."""

import travelsouth.i18n
import travelsouth.validation
from django.db import migrations, models


TRANSLATED = {
    "language": ["name"],
    "region": ["name"],
    "country": ["name"],
    "theme": ["name"],
    "sustainabledevelopmentgoal": ["name"],
    "city": ["name", "description"],
    "heritagesite": ["name"],
    "organisation": ["name", "acronym"],
    "goodpractice": ["title", "summary"],
    "person": ["title"],
}


def english_into_its_column(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("cities", model_name)
        rows = model.objects.all()
        for field in fields:
            if model_name == "goodpractice":
                # The base holds the English, unless it is still the copy of a Spanish or Chinese original.
                english = rows.exclude(
                    models.Q(original_language="es", **{field: models.F(f"{field}_es")})
                    | models.Q(original_language="zh-hans", **{field: models.F(f"{field}_zh_hans")})
                )
                english.update(**{f"{field}_en": models.F(field)})
            else:
                rows.update(**{f"{field}_en": models.F(field)})


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0014_chinese_columns_named_by_language_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="city",
            name="name_en",
            field=models.CharField(
                blank=True,
                max_length=120,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AddField(
            model_name="country",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="goodpractice",
            name="summary_en",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="goodpractice",
            name="title_en",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="heritagesite",
            name="name_en",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AddField(
            model_name="language",
            name="name_en",
            field=models.CharField(blank=True, max_length=80, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="acronym_en",
            field=models.CharField(blank=True, max_length=30, verbose_name="acronym"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="name_en",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="Position, as printed.",
                max_length=255,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="title",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="name_en",
            field=models.CharField(blank=True, max_length=80, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="sustainabledevelopmentgoal",
            name="name_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="city",
            name="description_es",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="city",
            name="description_zh_hans",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="city",
            name="name_es",
            field=models.CharField(
                blank=True,
                max_length=120,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="city",
            name="name_zh_hans",
            field=models.CharField(
                blank=True,
                max_length=120,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="country",
            name="name_es",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="country",
            name="name_zh_hans",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="original_language",
            field=models.CharField(
                choices=travelsouth.i18n.language_choices,
                default="en",
                help_text="The language it was written in. The title and summary fields hold that text (and English once translated); the other languages' fields hold translations.",
                max_length=8,
                verbose_name="original language",
            ),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="summary_es",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="summary_zh_hans",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="title_es",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="title_zh_hans",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="heritagesite",
            name="name_es",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="heritagesite",
            name="name_zh_hans",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="language",
            name="name_es",
            field=models.CharField(blank=True, max_length=80, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="language",
            name="name_zh_hans",
            field=models.CharField(blank=True, max_length=80, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="acronym_es",
            field=models.CharField(blank=True, max_length=30, verbose_name="acronym"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="acronym_zh_hans",
            field=models.CharField(blank=True, max_length=30, verbose_name="acronym"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="name_es",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="name_zh_hans",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="name",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="preferred_language",
            field=models.CharField(
                choices=travelsouth.i18n.language_choices,
                default="en",
                max_length=8,
                verbose_name="preferred language",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="title_es",
            field=models.CharField(
                blank=True,
                help_text="Position, as printed.",
                max_length=255,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="title_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Position, as printed.",
                max_length=255,
                validators=[travelsouth.validation.SingleLineValidator()],
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="region",
            name="name_es",
            field=models.CharField(blank=True, max_length=80, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="region",
            name="name_zh_hans",
            field=models.CharField(blank=True, max_length=80, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="sustainabledevelopmentgoal",
            name="name_es",
            field=models.CharField(blank=True, max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="sustainabledevelopmentgoal",
            name="name_zh_hans",
            field=models.CharField(blank=True, max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="theme",
            name="name_es",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="theme",
            name="name_zh_hans",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.RunPython(english_into_its_column, migrations.RunPython.noop),
    ]
