"""Validators and size limits shared by the apps' models, services and forms."""

import re

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
