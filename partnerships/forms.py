"""The interest registration form: what a city needs, offers and whom it wants to work with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.forms import LocalizedMultipleChoiceField
from cities.models import City, Country, Language, Region, ReviewStatus, Theme

from .models import DevelopmentPriority


class CityMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.country.display_name})"


class InterestForm(forms.Form):
    priorities = LocalizedMultipleChoiceField(
        label=_("Development priorities"),
        queryset=DevelopmentPriority.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes_sought = LocalizedMultipleChoiceField(
        label=_("Themes your city seeks"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What your city wants to learn from partners."),
    )
    themes_offered = LocalizedMultipleChoiceField(
        label=_("Themes your city can offer"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What your city can share with partners."),
    )
    partner_cities = CityMultipleChoiceField(
        label=_("Cities you want to partner with"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_countries = LocalizedMultipleChoiceField(
        label=_("Countries you want to partner with"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_regions = LocalizedMultipleChoiceField(
        label=_("Regions you want to partner with"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_languages = LocalizedMultipleChoiceField(
        label=_("Languages your city can work in"),
        queryset=Language.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded_countries = LocalizedMultipleChoiceField(
        label=_("Countries you do not want to partner with"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Matching avoids proposing partners there."),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words for UNOSSC staff and future partners (2,000 characters at most)."),
    )
    is_published = forms.BooleanField(
        label=_("Show this interest on the city's public page"),
        required=False,
    )
    consent_to_contact = forms.BooleanField(
        label=_("I agree that UNOSSC staff and partner cities contact me about partnerships"),
        required=False,
        help_text=_("You can withdraw your consent at any moment from your consent page."),
    )

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_cities"].queryset = (
            City.objects.filter(review_status=ReviewStatus.APPROVED)
            .exclude(pk=city.pk)
            .select_related("country")
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        wanted = [cleaned.get(name) for name in ("priorities", "themes_sought", "themes_offered")]
        if not any(wanted):
            raise forms.ValidationError(
                _("Choose at least one development priority, or a theme your city seeks or offers.")
            )
        return cleaned
