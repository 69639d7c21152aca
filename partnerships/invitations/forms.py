"""Forms behind the links in invitation e-mails."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CheckInProgress


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not? (optional; only UNOSSC staff will read it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CheckInForm(forms.Form):
    progress = forms.ChoiceField(
        label=_("How is the partnership going?"), choices=CheckInProgress.choices, widget=forms.RadioSelect
    )
    activities = forms.CharField(
        label=_("Joint activities so far (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcomes = forms.CharField(
        label=_("Results so far (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
