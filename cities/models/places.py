"""Countries, cities and local authorities, organisations, people and their good practices."""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from travelsouth.i18n import (
    InterfaceLanguage,
    TranslatedContent,
    column,
    has_text_in,
    interface_language,
    language_choices,
    language_codes,
    localized,
)
from travelsouth.models import TimeStampedModel
from travelsouth.validation import ShortTextListValidator, single_line


class Language(TranslatedContent):
    """A working language: ISO 639 code (``sgn`` for sign language)."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Region(TranslatedContent):
    """A UN M49 region (Africa, Americas, ...) or sub-region (Eastern Asia, ...)."""

    class Level(models.TextChoices):
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")

    code = models.CharField(_("M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="region", parent__isnull=True) | Q(level="subregion", parent__isnull=False),
                name="region_subregion_has_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Country(TranslatedContent):
    iso_code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("UN region"),
        on_delete=models.PROTECT,
        related_name="countries",
        limit_choices_to={"level": Region.Level.REGION},
    )
    subregion = models.ForeignKey(
        Region,
        verbose_name=_("UN sub-region"),
        on_delete=models.PROTECT,
        related_name="subregion_countries",
        limit_choices_to={"level": Region.Level.SUBREGION},
    )
    is_global_south = models.BooleanField(
        _("global South"),
        default=True,
        help_text=_("Yes for a developing economy in UNCTAD's classification."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Theme(TranslatedContent):
    """The controlled vocabulary of what cities seek and offer (smart tourism platforms, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class SustainableDevelopmentGoal(TranslatedContent):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17"),
        ]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.name}"

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class ReviewStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Awaiting review")
    REJECTED = "rejected", _("Rejected")


class City(TranslatedContent, TimeStampedModel):
    """A city or local authority at any level: city, province or state, national body, region."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        PROVINCE = "province", _("Province or state")
        NATIONAL = "national", _("Country or national tourism body")
        REGION = "region", _("Region")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITY)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="cities"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("The province or authority this city belongs to, where useful."),
    )
    represented_by = models.CharField(
        _("represented by"),
        max_length=200,
        blank=True,
        help_text=_("The body that speaks for it in the series, e.g. Tourism Fiji."),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="cities"
    )
    is_world_heritage_city = models.BooleanField(_("World Heritage city"), default=False)
    website = models.URLField(_("website"), blank=True)
    showcased_in_series = models.BooleanField(
        _("showcased in the series"),
        default=False,
        help_text=_("One of the cities and local authorities whose good practices the series showcased."),
    )
    review_status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.APPROVED
    )
    source_note = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("city or local authority")
        verbose_name_plural = _("cities and local authorities")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="city_coordinates_both_or_neither",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="city_not_its_own_parent"),
        ]
        indexes = [
            models.Index(fields=["country", "name"]),
            # The API's default order and cursor (name, then id): pages without sorting the table.
            models.Index(fields=["name", "id"], name="city_name_id_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class HeritageSite(TranslatedContent):
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="heritage_sites"
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    is_world_heritage = models.BooleanField(_("on the World Heritage List"), default=True)
    inscribed_year = models.PositiveSmallIntegerField(_("year inscribed"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("heritage site")
        verbose_name_plural = _("heritage sites")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="heritage_site_unique_per_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class Organisation(TranslatedContent, TimeStampedModel):
    class Kind(models.TextChoices):
        UN_ENTITY = "un", _("UN entity")
        IGO = "igo", _("Intergovernmental organisation")
        NGO = "ngo", _("Non-governmental organisation")
        ACADEMIA = "academia", _("Academia and research")
        PRIVATE = "private", _("Private sector")
        CITY_NETWORK = "city_network", _("City network")
        GOVERNMENT = "government", _("Government agency")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True, validators=[single_line])
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def display_name(self) -> str:
        """The name and acronym in the visitor's language (the UN's own, for UN bodies), else English."""
        name, acronym = localized(self, "name"), localized(self, "acronym")
        if not acronym or acronym == name:
            return name
        # Chinese sets the short name in full-width brackets, without a space.
        return (
            f"{name}\uff08{acronym}\uff09" if interface_language().startswith("zh") else f"{name} ({acronym})"
        )


class GoodPractice(TranslatedContent, TimeStampedModel):
    """A practice a city or organisation showcased: what it did, with which tools, to what end."""

    class Status(models.TextChoices):
        # A good practice is feminine in Spanish ("buena práctica"), an interest masculine: one context each.
        PUBLISHED = "published", pgettext_lazy("good practice", "Published")
        DRAFT = "draft", _("Draft")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="good_practices",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="good_practices",
    )
    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=language_choices,
        default=InterfaceLanguage.ENGLISH,
        help_text=_(
            "The language it was written in. The title and summary fields hold that text (and English "
            "once translated); the other languages' fields hold translations."
        ),
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    summary = models.TextField(_("summary"), max_length=5000, validators=[MaxLengthValidator(5000)])
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="good_practices")
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, verbose_name=_("SDGs"), blank=True, related_name="good_practices"
    )
    digital_tools = models.JSONField(
        _("digital tools used"),
        default=list,
        blank=True,
        validators=[ShortTextListValidator(max_items=30, max_length=100)],
        help_text=_('A list, e.g. ["virtual reality"].'),
    )
    link = models.URLField(_("link"), blank=True)
    webinar = models.ForeignKey(
        "webinars.Webinar",
        verbose_name=_("presented at webinar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="good_practices",
    )
    speaker = models.ForeignKey(
        "cities.Person",
        verbose_name=_("presented by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="good_practices",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source_quote = models.TextField(
        _("source quote"),
        blank=True,
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text=_("The report's words it rests on."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    is_reconstructed = models.BooleanField(_("reconstructed"), default=False)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False, organisation__isnull=True)
                | Q(city__isnull=True, organisation__isnull=False),
                name="good_practice_owned_by_city_xor_organisation",
            ),
        ]
        indexes = [
            # The library's order, and the home page's latest practices (bench/pages.py).
            models.Index(fields=["status", "-year", "title", "id"], name="practice_library_idx"),
            models.Index(fields=["status", "-year", "-id"], name="practice_latest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> City | Organisation:
        return self.city or self.organisation

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    @property
    def untranslated_in_active_language(self) -> bool:
        """Shown in its original language to this visitor: no translation into theirs yet."""
        return not (
            has_text_in(self, "title", translation.get_language() or "en")
            and has_text_in(self, "summary", translation.get_language() or "en")
        )


def _needs_translation() -> Q:
    """A practice some portal language has no title or summary of its own in (a blank column)."""
    missing = Q()
    for field in ("title", "summary"):
        for code in language_codes():
            missing |= Q(**{column(field, code): ""}) | Q(**{f"{column(field, code)}__isnull": True})
    return missing


class ToTranslateManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(_needs_translation())


class GoodPracticeToTranslate(GoodPractice):
    """The staff's translation queue in the admin: practices not yet in every portal language (its
    manager holds only those)."""

    objects = ToTranslateManager()

    class Meta:
        proxy = True
        verbose_name = _("good practice to translate")
        verbose_name_plural = _("good practices to translate")
