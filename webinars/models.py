"""Webinar series, webinars, their agenda (speaker appearances), view counts and the report's quotes."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import TranslatedContent, localized
from travelsouth.models import TimeStampedModel


class WebinarSeries(TranslatedContent, TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120)
    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    description = models.TextField(
        _("description"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    organiser = models.ForeignKey(
        "cities.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_series",
    )
    partners = models.ManyToManyField(
        "cities.Organisation", verbose_name=_("partners"), blank=True, related_name="partnered_series"
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("webinar series")
        verbose_name_plural = _("webinar series")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="series_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_subtitle(self) -> str:
        return localized(self, "subtitle")

    @property
    def display_description(self) -> str:
        return localized(self, "description")


class Webinar(TranslatedContent, TimeStampedModel):
    class DatePrecision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")

    series = models.ForeignKey(
        WebinarSeries, verbose_name=_("series"), on_delete=models.CASCADE, related_name="webinars"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(
        _("summary"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    broadcast_on = models.DateField(_("broadcast date"))
    broadcast_precision = models.CharField(
        _("broadcast date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("The report gives only the month of most broadcasts."),
    )
    languages = models.ManyToManyField(
        "cities.Language",
        verbose_name=_("languages"),
        related_name="webinars",
        help_text=_("Spoken and sign languages of the broadcast."),
    )
    organising_partners = models.ManyToManyField(
        "cities.Organisation", verbose_name=_("organising partners"), blank=True, related_name="webinars"
    )
    recording_url = models.URLField(_("recording link"), blank=True)
    recording_note = models.CharField(_("recording note"), max_length=255, blank=True)

    class Meta:
        ordering = ["series", "number"]
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="webinar_number_unique_in_series"),
            models.CheckConstraint(condition=Q(number__gte=1), name="webinar_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    @property
    def display_broadcast_date(self) -> str:
        if self.broadcast_precision == self.DatePrecision.MONTH:
            return date_format(self.broadcast_on, "YEAR_MONTH_FORMAT")
        return date_format(self.broadcast_on, "DATE_FORMAT")


class AgendaItem(TranslatedContent):
    """One slot of a webinar's agenda: a speaker's appearance, with the role printed for it."""

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        OPENING_REMARKS = "opening_remarks", _("Opening remarks")
        PRESENTATION = "presentation", _("Presentation")
        INSIGHT = "insight", _("Insight")
        CITY_SHOWCASE = "city_showcase", _("City showcase")
        QA = "qa", _("Q&A / open discussion")
        SUMMARY = "summary", _("Summary")
        CLOSING = "closing", _("Closing remarks")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True, help_text=_("The heading, as printed."))
    speaker = models.ForeignKey(
        "cities.Person",
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appearances",
    )
    speaker_role = models.CharField(
        _("speaker's role"), max_length=255, blank=True, help_text=_("Position and affiliation as printed.")
    )
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city represented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    organisation = models.ForeignKey(
        "cities.Organisation",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    moderator = models.ForeignKey(
        "cities.Person",
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderated_items",
    )
    moderator_role = models.CharField(
        _("moderator's role"), max_length=255, blank=True, help_text=_("Position and affiliation as printed.")
    )

    class Meta:
        ordering = ["webinar", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["webinar", "order"], name="agenda_order_unique_in_webinar")
        ]

    def __str__(self) -> str:
        who = f": {self.speaker}" if self.speaker_id else ""
        return f"{self.get_kind_display()}{who}"


class ViewCount(TranslatedContent):
    """Views of a webinar on one platform, as one source reported them on one date.

    The webinar's total is the sum of its rows; it is never stored.
    """

    class AsOfPrecision(models.TextChoices):
        DAY = "day", _("Dated by the source")
        UNDATED = "undated", _("Not dated by the source")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="view_counts"
    )
    platform = models.CharField(_("platform"), max_length=100)
    views = models.PositiveIntegerField(_("views"))
    source = models.CharField(_("source"), max_length=255)
    as_of = models.DateField(_("as of"))
    as_of_precision = models.CharField(
        _("as-of date given by"),
        max_length=7,
        choices=AsOfPrecision.choices,
        default=AsOfPrecision.DAY,
        help_text=_("When the source gives no date, the as-of date is the data set's reading of it."),
    )

    class Meta:
        ordering = ["webinar", "platform"]
        verbose_name = _("view count")
        verbose_name_plural = _("view counts")
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "platform", "as_of"], name="view_count_unique_per_platform_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.webinar}: {self.views} on {self.platform}"


class Quote(TranslatedContent):
    """A passage the series report prints as someone's words, with who said it and at which webinar.

    The text is as printed. Editorial marks are in square brackets only: "[sic]" after a word the
    report misspells, "[…]" where the report's text breaks off. The report's own language is English
    whatever the speaker spoke; ``language`` says which language the text is in.
    """

    class Section(models.TextChoices):
        OPENING_MESSAGES = "opening_messages", _("Opening messages")
        HIGHLIGHTS = "highlights", _("Highlights")
        CONCLUDING_REMARKS = "concluding_remarks", _("Concluding remarks")

    webinar = models.ForeignKey(
        Webinar, verbose_name=_("webinar"), on_delete=models.CASCADE, related_name="quotes"
    )
    section = models.CharField(
        _("section of the report"), max_length=20, choices=Section.choices, default=Section.HIGHLIGHTS
    )
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Its place among the webinar's quotes in that section, from 1.")
    )
    text = models.TextField(
        _("text as printed"),
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text=_('Verbatim; "[sic]" after a misspelling, "[…]" where the text breaks off.'),
    )
    # Translations of the text, shown with the original beside them (templates/webinars/_quote.html).
    language = models.ForeignKey(
        "cities.Language",
        verbose_name=_("language of the original"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The language the text is printed in."),
    )
    speakers = models.ManyToManyField(
        "cities.Person", verbose_name=_("speakers"), through="QuoteSpeaker", related_name="quotes"
    )
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city or local authority spoken for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    cities_mentioned = models.ManyToManyField(
        "cities.City",
        verbose_name=_("cities mentioned"),
        blank=True,
        related_name="mentioned_in_quotes",
        help_text=_("Other cities and local authorities the quote or its attribution names."),
    )

    class Meta:
        ordering = ["webinar", "section", "position"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "section", "position"], name="quote_position_unique_in_section"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="quote_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.webinar.number}. {self.get_section_display()} {self.position}"


class QuoteSpeaker(TranslatedContent):
    """Who a quote is attributed to, with the role printed beside the quote (often not the agenda's)."""

    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="attributions"
    )
    person = models.ForeignKey(
        "cities.Person",
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        related_name="quote_attributions",
    )
    role = models.CharField(
        _("role as printed"), max_length=255, blank=True, help_text=_("Empty when the report prints none.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["quote", "order"]
        verbose_name = _("quote's speaker")
        verbose_name_plural = _("quotes' speakers")
        constraints = [
            models.UniqueConstraint(fields=["quote", "order"], name="quote_speaker_order_unique"),
            models.UniqueConstraint(fields=["quote", "person"], name="quote_speaker_once_per_quote"),
        ]

    def __str__(self) -> str:
        return str(self.person)
