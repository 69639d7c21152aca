"""Forms of a partnership's outcomes: an agreement signed, a joint activity, an answer to a check-in."""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from cities.forms import LocalizedMultipleChoiceField, SdgMultipleChoiceField
from cities.models import SustainableDevelopmentGoal, Theme

from .models import Agreement, JointActivity

DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=Agreement.Kind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=200)
    document = forms.FileField(
        label=_("The signed document (PDF, optional)"),
        required=False,
        validators=[FileExtensionValidator(["pdf"], message=_("Upload a PDF document."))],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and document.size > settings.AGREEMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB are accepted."),
                params={
                    "size": f"{document.size / 1_000_000:.1f}",
                    "limit": f"{settings.AGREEMENT_MAX_BYTES / 1_000_000:g}",
                },
                code="too_large",
            )
        return document


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=JointActivity.Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=JointActivity.Status.choices, initial=JointActivity.Status.PLANNED
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on (optional)"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("What it is (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = LocalizedMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = SdgMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The activity cannot end before it starts."))
        return cleaned


class CheckInForm(forms.Form):
    still_active = forms.TypedChoiceField(
        label=_("Is the partnership still active?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    what_happened = forms.CharField(
        label=_("What has happened since the partnership formed? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    help_needed = forms.CharField(
        label=_("What help would you need from UNOSSC? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
