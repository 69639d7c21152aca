from django import forms
from django.utils.translation import gettext_lazy as _


class AccountDeleteForm(forms.Form):
    """Deleting one's account asks for the password again: a session left open is not enough."""

    password = forms.CharField(label=_("Your password"), max_length=128, widget=forms.PasswordInput)
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and my personal data are deleted, and that this cannot be undone."
        )
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
