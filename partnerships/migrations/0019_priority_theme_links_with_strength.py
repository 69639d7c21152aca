"""The priority-to-theme map becomes data with a strength per link (issue 14).

The plain many-to-many table ``partnerships_developmentpriority_themes`` becomes the through model
PriorityThemeLink as it is (its rows are kept), gains ``strength`` and ``rationale``, and the default
links are reviewed: the ones a broker could not defend are removed, the others get a strength and a
reason (docs/matching.md lists them). Links staff added themselves are left at strength 1.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

# (priority slug, theme slug) -> (strength, why). The vocabulary's links as reviewed.
REVIEWED = {
    ("tourism", "smart-tourism-platforms"): (1.0, "Platforms that run and sell a city's tourism offer."),
    ("tourism", "visitor-flow-management"): (0.8, "Managing visitor numbers is managing tourism."),
    ("tourism", "digital-marketing"): (0.8, "Promotion is how a destination reaches visitors."),
    ("tourism", "virtual-visits"): (0.6, "Virtual visits promote a destination and extend its season."),
    ("tourism", "heritage-conservation"): (0.5, "Heritage is what many visitors come to see."),
    ("tourism", "e-visa"): (0.5, "Easier entry brings international visitors."),
    ("tourism", "regional-cooperation"): (0.5, "Joint regional routes and promotion (e.g. along the Silk Road)."),
    ("tourism", "creative-economy"): (0.4, "Crafts and cultural products are part of the visitor offer."),
    ("tourism", "community-livelihoods"): (0.4, "Community-based tourism spreads visitors' spending."),
    ("transport", "transport"): (1.0, "The same subject."),
    ("smes", "smes"): (1.0, "The same subject."),
    ("smes", "e-commerce"): (0.8, "Selling online is how small firms reach new buyers."),
    ("smes", "digital-marketing"): (0.6, "Promotion small firms can afford."),
    ("smes", "creative-economy"): (0.4, "Creative industries are mostly small firms."),
    ("youth-entrepreneurship", "youth-entrepreneurship"): (1.0, "The same subject."),
    ("youth-entrepreneurship", "capacity-building"): (0.5, "Training is what young founders ask for first."),
    ("heritage", "heritage-conservation"): (1.0, "The same subject."),
    ("heritage", "visitor-flow-management"): (0.5, "Limiting crowds protects fragile sites."),
    ("heritage", "virtual-visits"): (0.5, "Digital records and virtual access spare the originals."),
    ("trade", "e-commerce"): (0.8, "Trade conducted online."),
    ("trade", "smes"): (0.6, "Small firms are most of a city's traders."),
    ("trade", "regional-cooperation"): (0.5, "Regional agreements open markets."),
    ("environment", "greening"): (1.0, "The same subject."),
}
# Links of the former map a broker could not defend ("Tashkent's e-visa addresses Pokhara's
# Transport", "the Mogao exhibition centre addresses Guanajuato's Transport"): removed.
REMOVED = {
    ("tourism", "e-commerce"),
    ("tourism", "greening"),
    ("transport", "visitor-flow-management"),
    ("transport", "e-visa"),
    ("youth-entrepreneurship", "creative-economy"),
    ("youth-entrepreneurship", "e-commerce"),
}


def review_links(apps, schema_editor):
    Link = apps.get_model("partnerships", "PriorityThemeLink")
    for link in Link.objects.select_related("priority", "theme"):
        key = (link.priority.slug, link.theme.slug)
        if key in REMOVED:
            link.delete()
        elif key in REVIEWED:
            link.strength, link.rationale = REVIEWED[key]
            link.save(update_fields=["strength", "rationale"])


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0001_initial"),
        ("partnerships", "0018_invitation_retry_window_and_lease_grace"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PriorityThemeLink",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "priority",
                            models.ForeignKey(
                                db_column="developmentpriority_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="theme_links",
                                to="partnerships.developmentpriority",
                                verbose_name="development priority",
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="priority_links",
                                to="cities.theme",
                                verbose_name="theme",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "partnerships_developmentpriority_themes",
                        "unique_together": {("priority", "theme")},
                    },
                ),
                migrations.AlterField(
                    model_name="developmentpriority",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="priorities",
                        through="partnerships.PriorityThemeLink",
                        to="cities.theme",
                        verbose_name="addressed by themes",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelOptions(
            name='prioritythemelink',
            options={'ordering': ['priority__order', '-strength', 'theme__name'], 'verbose_name': 'theme addressing a priority', 'verbose_name_plural': 'themes addressing the priority'},
        ),
        migrations.RemoveField(
            model_name='matchingsettings',
            name='weight_practice_evidence',
        ),
        migrations.RemoveField(
            model_name='matchingsettings',
            name='weight_priority',
        ),
        migrations.RemoveField(
            model_name='matchingsettings',
            name='weight_theme_sought',
        ),
        migrations.AddField(
            model_name='matchingsettings',
            name='weight_complementary',
            field=models.FloatField(default=4.0, help_text='Added in proportion to the weaker of the two fits: two-way fit above one-sided fit.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='weight: each city needs what the other offers (added)'),
        ),
        migrations.AddField(
            model_name='matchingsettings',
            name='weight_declared_offer',
            field=models.FloatField(default=0.5, help_text='0 to 1: how much an offer counts when no published good practice shows it.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name='share: an offer declared but shown by no good practice'),
        ),
        migrations.AddField(
            model_name='matchingsettings',
            name='weight_fit',
            field=models.FloatField(default=6.0, help_text='Added for each city in proportion to the share of its asks (themes sought, priorities) the other meets with a good practice.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='weight: fit (per city)'),
        ),
        migrations.AddField(
            model_name='prioritythemelink',
            name='rationale',
            field=models.CharField(blank=True, help_text='One line a broker could defend to the city.', max_length=300, verbose_name='why it addresses the priority'),
        ),
        migrations.AddField(
            model_name='prioritythemelink',
            name='strength',
            field=models.FloatField(default=1.0, help_text="1: the theme is the priority itself; 0.5: it helps with part of it. A good practice on the theme counts this much towards a city's priority.", validators=[django.core.validators.MinValueValidator(0.1), django.core.validators.MaxValueValidator(1.0)], verbose_name='strength'),
        ),
        migrations.AlterField(
            model_name='matchingsettings',
            name='weight_webinar',
            field=models.FloatField(default=0.5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='weight: a practice cited was presented at a webinar (once per pair)'),
        ),
        migrations.RunPython(review_links, migrations.RunPython.noop),
    ]
