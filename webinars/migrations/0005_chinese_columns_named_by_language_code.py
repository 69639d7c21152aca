"""The Chinese columns take django-modeltranslation's names (language code zh-hans: ``_zh_hans``),
keeping their data; the next migration hands the columns to modeltranslation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("webinars", "0004_text_size_limits")]

    operations = [
        migrations.RenameField("webinarseries", "title_zh", "title_zh_hans"),
        migrations.RenameField("webinarseries", "subtitle_zh", "subtitle_zh_hans"),
        migrations.RenameField("webinarseries", "description_zh", "description_zh_hans"),
        migrations.RenameField("webinar", "title_zh", "title_zh_hans"),
        migrations.RenameField("webinar", "summary_zh", "summary_zh_hans"),
        migrations.RenameField("webinar", "recording_note_zh", "recording_note_zh_hans"),
        migrations.RenameField("agendaitem", "title_zh", "title_zh_hans"),
        migrations.RenameField("agendaitem", "speaker_role_zh", "speaker_role_zh_hans"),
        migrations.RenameField("agendaitem", "moderator_role_zh", "moderator_role_zh_hans"),
        migrations.RenameField("viewcount", "platform_zh", "platform_zh_hans"),
        migrations.RenameField("viewcount", "source_zh", "source_zh_hans"),
        migrations.RenameField("quote", "text_zh", "text_zh_hans"),
        migrations.RenameField("quotespeaker", "role_zh", "role_zh_hans"),
    ]
