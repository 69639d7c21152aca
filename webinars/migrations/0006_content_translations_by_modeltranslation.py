"""The translated fields become django-modeltranslation's: an ``_en`` column per field, holding the
English that the base column holds (the base column keeps it too). A good practice written in another
language and not yet translated has a copy of its original in the base column: no English."""

from django.db import migrations, models


TRANSLATED = {
    "webinarseries": ["title", "subtitle", "description"],
    "webinar": ["title", "summary", "recording_note"],
    "agendaitem": ["title", "speaker_role", "moderator_role"],
    "viewcount": ["platform", "source"],
    "quote": ["text"],
    "quotespeaker": ["role"],
}


def english_into_its_column(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("webinars", model_name)
        rows = model.objects.all()
        for field in fields:
            rows.update(**{f"{field}_en": models.F(field)})


class Migration(migrations.Migration):
    dependencies = [
        ("webinars", "0005_chinese_columns_named_by_language_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="moderator_role_en",
            field=models.CharField(
                blank=True,
                help_text="Position and affiliation as printed.",
                max_length=255,
                verbose_name="moderator's role",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="speaker_role_en",
            field=models.CharField(
                blank=True,
                help_text="Position and affiliation as printed.",
                max_length=255,
                verbose_name="speaker's role",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="title_en",
            field=models.CharField(
                blank=True, help_text="The heading, as printed.", max_length=255, verbose_name="title"
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="text_en",
            field=models.TextField(
                blank=True,
                help_text='Verbatim; "[sic]" after a misspelling, "[…]" where the text breaks off.',
                verbose_name="text as printed",
            ),
        ),
        migrations.AddField(
            model_name="quotespeaker",
            name="role_en",
            field=models.CharField(
                blank=True,
                help_text="Empty when the report prints none.",
                max_length=255,
                verbose_name="role as printed",
            ),
        ),
        migrations.AddField(
            model_name="viewcount",
            name="platform_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="platform"),
        ),
        migrations.AddField(
            model_name="viewcount",
            name="source_en",
            field=models.CharField(blank=True, max_length=255, verbose_name="source"),
        ),
        migrations.AddField(
            model_name="webinar",
            name="recording_note_en",
            field=models.CharField(blank=True, max_length=255, verbose_name="recording note"),
        ),
        migrations.AddField(
            model_name="webinar",
            name="summary_en",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="webinar",
            name="title_en",
            field=models.CharField(blank=True, max_length=255, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="webinarseries",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="webinarseries",
            name="subtitle_en",
            field=models.CharField(blank=True, max_length=255, verbose_name="subtitle"),
        ),
        migrations.AddField(
            model_name="webinarseries",
            name="title_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="moderator_role_es",
            field=models.CharField(
                blank=True,
                help_text="Position and affiliation as printed.",
                max_length=255,
                verbose_name="moderator's role",
            ),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="moderator_role_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Position and affiliation as printed.",
                max_length=255,
                verbose_name="moderator's role",
            ),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="speaker_role_es",
            field=models.CharField(
                blank=True,
                help_text="Position and affiliation as printed.",
                max_length=255,
                verbose_name="speaker's role",
            ),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="speaker_role_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Position and affiliation as printed.",
                max_length=255,
                verbose_name="speaker's role",
            ),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="title_es",
            field=models.CharField(
                blank=True, help_text="The heading, as printed.", max_length=255, verbose_name="title"
            ),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="title_zh_hans",
            field=models.CharField(
                blank=True, help_text="The heading, as printed.", max_length=255, verbose_name="title"
            ),
        ),
        migrations.AlterField(
            model_name="quote",
            name="text_es",
            field=models.TextField(
                blank=True,
                help_text='Verbatim; "[sic]" after a misspelling, "[…]" where the text breaks off.',
                verbose_name="text as printed",
            ),
        ),
        migrations.AlterField(
            model_name="quote",
            name="text_zh_hans",
            field=models.TextField(
                blank=True,
                help_text='Verbatim; "[sic]" after a misspelling, "[…]" where the text breaks off.',
                verbose_name="text as printed",
            ),
        ),
        migrations.AlterField(
            model_name="quotespeaker",
            name="role_es",
            field=models.CharField(
                blank=True,
                help_text="Empty when the report prints none.",
                max_length=255,
                verbose_name="role as printed",
            ),
        ),
        migrations.AlterField(
            model_name="quotespeaker",
            name="role_zh_hans",
            field=models.CharField(
                blank=True,
                help_text="Empty when the report prints none.",
                max_length=255,
                verbose_name="role as printed",
            ),
        ),
        migrations.AlterField(
            model_name="viewcount",
            name="platform_es",
            field=models.CharField(blank=True, max_length=100, verbose_name="platform"),
        ),
        migrations.AlterField(
            model_name="viewcount",
            name="platform_zh_hans",
            field=models.CharField(blank=True, max_length=100, verbose_name="platform"),
        ),
        migrations.AlterField(
            model_name="viewcount",
            name="source_es",
            field=models.CharField(blank=True, max_length=255, verbose_name="source"),
        ),
        migrations.AlterField(
            model_name="viewcount",
            name="source_zh_hans",
            field=models.CharField(blank=True, max_length=255, verbose_name="source"),
        ),
        migrations.AlterField(
            model_name="webinar",
            name="recording_note_es",
            field=models.CharField(blank=True, max_length=255, verbose_name="recording note"),
        ),
        migrations.AlterField(
            model_name="webinar",
            name="recording_note_zh_hans",
            field=models.CharField(blank=True, max_length=255, verbose_name="recording note"),
        ),
        migrations.AlterField(
            model_name="webinar",
            name="summary_es",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="webinar",
            name="summary_zh_hans",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="webinar",
            name="title_es",
            field=models.CharField(blank=True, max_length=255, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="webinar",
            name="title_zh_hans",
            field=models.CharField(blank=True, max_length=255, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="webinarseries",
            name="description_es",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="webinarseries",
            name="description_zh_hans",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="webinarseries",
            name="subtitle_es",
            field=models.CharField(blank=True, max_length=255, verbose_name="subtitle"),
        ),
        migrations.AlterField(
            model_name="webinarseries",
            name="subtitle_zh_hans",
            field=models.CharField(blank=True, max_length=255, verbose_name="subtitle"),
        ),
        migrations.AlterField(
            model_name="webinarseries",
            name="title_es",
            field=models.CharField(blank=True, max_length=120, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="webinarseries",
            name="title_zh_hans",
            field=models.CharField(blank=True, max_length=120, verbose_name="title"),
        ),
        migrations.RunPython(english_into_its_column, migrations.RunPython.noop),
    ]
