"""Forms for the city pages: the public filters, and what officials fill in. They check shape only;
the services in cities/services/ enforce the domain's rules and do every write."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from travelsouth.collation import display_order
from travelsouth.i18n import InterfaceLanguage, column, language_codes
from travelsouth.validation import LIST_ITEM_MAX_LENGTH, LIST_MAX_ITEMS, LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from webinars.models import Webinar

from . import selectors
from .models import City, Country, Language, Region, SustainableDevelopmentGoal, Theme


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class LocalizedChoiceField(forms.ModelChoiceField):
    """A choice of vocabulary shown in the visitor's language (``display_name``)."""

    def label_from_instance(self, obj):
        return obj.display_name


class LocalizedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class SdgMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("SDG %(number)s: %(name)s") % {"number": obj.number, "name": obj.display_name}


class SdgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("SDG %(number)s: %(name)s") % {"number": obj.number, "name": obj.display_name}


class WebinarChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Webinar %(number)s: %(title)s") % {"number": obj.number, "title": obj.display_title}


class FilterForm(forms.Form):
    """A GET form that narrows a public list; every field optional, works without JavaScript."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices in the order of their names in the visitor's language (travelsouth.collation).
        for field in self.fields.values():
            if isinstance(field, LocalizedChoiceField):
                field.queryset = field.queryset.order_by(display_order("name"))

    def filters(self) -> dict:
        """The cleaned filters, with empty ones left out, ready for a selector. Invalid input filters nothing."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


WORLD_HERITAGE_CHOICES = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class CityFilterForm(FilterForm):
    search = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = LocalizedChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name"), required=False, empty_label=_("Any")
    )
    region = LocalizedChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False, empty_label=_("Any")
    )
    theme = LocalizedChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("name"), required=False, empty_label=_("Any")
    )
    world_heritage = forms.TypedChoiceField(
        label=_("World Heritage city"),
        choices=WORLD_HERITAGE_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    language = LocalizedChoiceField(
        label=_("Language"), queryset=Language.objects.order_by("name"), required=False, empty_label=_("Any")
    )


class GoodPracticeFilterForm(FilterForm):
    search = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = LocalizedChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("name"), required=False, empty_label=_("Any")
    )
    sdg = SdgChoiceField(
        label=_("Sustainable Development Goal"),
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        required=False,
        empty_label=_("Any"),
    )
    country = LocalizedChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name"), required=False, empty_label=_("Any")
    )
    region = LocalizedChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False, empty_label=_("Any")
    )
    webinar = WebinarChoiceField(
        label=_("Webinar"),
        queryset=Webinar.objects.order_by("series", "number"),
        required=False,
        empty_label=_("Any"),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any"))] + [
            (year, str(year)) for year in selectors.good_practice_years()
        ]


# --- What officials fill in ---------------------------------------------------------------------------

LANGUAGE_CHOICES = InterfaceLanguage.choices


class PersonDetailsForm(forms.Form):
    honorific = forms.CharField(
        label=_("Honorific"), required=False, max_length=20, help_text=_("Mr., Ms., Dr., H.E. ...")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    title = forms.CharField(
        label=_("Position"),
        required=False,
        max_length=255,
        help_text=_("Your position and organisation, e.g. Director of Tourism, City of Cusco."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("E-mails from Travel South are written in this language."),
    )


class MembershipRequestForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City or local authority"),
        queryset=City.objects.none(),
        help_text=_("Not listed? Add it for review instead."),
    )
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    role = forms.CharField(
        label=_("Your position"),
        max_length=200,
        help_text=_("Your position in the city's administration or tourism body."),
    )
    message = forms.CharField(
        label=_("Message to UNOSSC staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything that helps staff confirm you act for this city."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = selectors.cities_open_for_requests()
        self.fields["city"].label_from_instance = lambda city: (
            f"{city.display_name} ({city.country.display_name})"
        )


class CityProposalForm(forms.Form):
    name = forms.CharField(label=_("Name of the city or local authority"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=City.Kind.choices)
    country = LocalizedChoiceField(label=_("Country"), queryset=Country.objects.order_by("name"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    role = forms.CharField(label=_("Your position"), max_length=200)
    message = forms.CharField(
        label=_("Message to UNOSSC staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TextsInLanguages:
    """A form mixin: a box per interface language (``settings.LANGUAGES``) for each field of
    ``translated_texts`` (``{"title": (label, max_length, textarea)}``), named as the columns are
    (``title_en``, ``title_es``, ``title_zh_hans``...), first in the form; ``texts()`` gives them as the
    services take them, ``{"es": {"title": ...}}``."""

    translated_texts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        boxes = {}
        for field, (label, max_length, textarea) in self.translated_texts.items():
            for code, name in settings.LANGUAGES:
                boxes[column(field, code)] = forms.CharField(
                    label=str(label) % {"language": translation.gettext(name)},
                    max_length=max_length,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}) if textarea else None,
                )
        self.fields = {**boxes, **self.fields}

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            code: {field: self.cleaned_data.get(column(field, code), "") for field in self.translated_texts}
            for code in language_codes()
        }

    def other_data(self) -> dict:
        """The cleaned data but the texts."""
        names = {column(field, code) for field in self.translated_texts for code in language_codes()}
        return {name: value for name, value in self.cleaned_data.items() if name not in names}


class CityProfileForm(TextsInLanguages, forms.Form):
    translated_texts = {"description": (_("Description (%(language)s)"), LONG_TEXT_MAX_LENGTH, True)}
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = LocalizedMultipleChoiceField(
        label=_("Languages spoken"),
        queryset=Language.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_world_heritage_city = forms.BooleanField(label=_("World Heritage city"), required=False)


class HeritageSiteForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Heritage site"), max_length=200, required=False)
    is_world_heritage = forms.BooleanField(label=_("On the World Heritage List"), required=False)
    inscribed_year = forms.IntegerField(
        label=_("Year inscribed"), required=False, min_value=1972, max_value=2100
    )


class BaseHeritageSiteFormSet(forms.BaseFormSet):
    def clean(self):
        names = [
            form.cleaned_data["name"].strip().lower()
            for form in self.forms
            if form.cleaned_data.get("name") and not self._should_delete_form(form)
        ]
        if len(names) != len(set(names)):
            raise ValidationError(_("Each heritage site is listed once."))

    def sites(self) -> list[dict]:
        """The sites to keep, as the service takes them: empty and deleted rows left out."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("name") and not self._should_delete_form(form)
        ]


HeritageSiteFormSet = forms.formset_factory(
    HeritageSiteForm, formset=BaseHeritageSiteFormSet, extra=2, can_delete=True, max_num=50
)


class ContactForm(forms.Form):
    honorific = forms.CharField(label=_("Honorific"), required=False, max_length=20)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    title = forms.CharField(label=_("Position"), required=False, max_length=255)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=LANGUAGE_CHOICES)


class GoodPracticeForm(TextsInLanguages, forms.Form):
    # Any one language, title and summary, is enough (cities.services.good_practices).
    translated_texts = {
        "title": (_("Title (%(language)s)"), 200, False),
        "summary": (_("Summary (%(language)s)"), LONG_TEXT_MAX_LENGTH, True),
    }
    themes = LocalizedMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), widget=forms.CheckboxSelectMultiple
    )
    sdgs = SdgMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digital_tools = forms.CharField(
        label=_("Digital tools used"),
        required=False,
        max_length=LIST_MAX_ITEMS * (LIST_ITEM_MAX_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. virtual reality."),
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.now().year

    def clean_digital_tools(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["digital_tools"].splitlines() if line.strip()]


class DecisionReasonForm(forms.Form):
    """Staff's reason for a decision in the admin (required to reject, optional to approve)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("The requester reads it in the decision e-mail."),
    )


class ConsentObtainedForm(forms.Form):
    """Staff record a consent to be contacted that a person gave outside the portal."""

    source = forms.CharField(
        label=_("How and where consent was given"),
        max_length=200,
        help_text=_("For example: 'Signed form at the Luoyang tourism fair' or 'E-mail of 3 May to UNOSSC'."),
    )
    obtained_on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_obtained_on(self):
        obtained_on = self.cleaned_data["obtained_on"]
        if obtained_on > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot have been given in the future."))
        return obtained_on
