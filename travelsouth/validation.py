"""Validators and size limits shared by the apps' models, services and forms."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible(path="travelsouth.validation.SingleLineValidator")
class SingleLineValidator(RegexValidator):
    """Line breaks and other control characters have no place in a one-line value (a name, a title):
    in an e-mail's subject or header they would be refused, or read as further headers."""

    regex = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
    inverse_match = True
    message = _("Write this on one line: line breaks and control characters are not allowed.")
    code = "single_line"

    def __init__(self):
        super().__init__()

    def deconstruct(self):
        return ("travelsouth.validation.SingleLineValidator", (), {})


single_line = SingleLineValidator()


# Size limits for free text a person types in (forms and services): long enough for any real text, far
# short of the megabytes someone could post.
LONG_TEXT_MAX_LENGTH = 5000  # a description or a summary
NOTE_MAX_LENGTH = 2000  # a message, a reason
LIST_MAX_ITEMS = 30  # a list typed one item per line (digital tools)
LIST_ITEM_MAX_LENGTH = 100


@deconstructible(path="travelsouth.validation.ShortTextListValidator")
class ShortTextListValidator:
    """A JSON list of short texts (digital tools): at most ``max_items`` texts of at most
    ``max_length`` characters each, so no door (the admin's JSON box included) stores a huge list."""

    def __init__(self, max_items: int = LIST_MAX_ITEMS, max_length: int = LIST_ITEM_MAX_LENGTH):
        self.max_items, self.max_length = max_items, max_length

    def __call__(self, value):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("Give a list of texts."), code="not_a_list")
        if len(value) > self.max_items:
            raise ValidationError(
                _("List at most %(limit)s items."), code="too_many", params={"limit": self.max_items}
            )
        if any(len(item) > self.max_length for item in value):
            raise ValidationError(
                _("Write each item in at most %(limit)s characters."),
                code="item_too_long",
                params={"limit": self.max_length},
            )

    def __eq__(self, other):
        return isinstance(other, ShortTextListValidator) and (self.max_items, self.max_length) == (
            other.max_items,
            other.max_length,
        )
