"""Simplified Chinese: Django's formats, with thousands grouped by commas (CLDR's "#,##0" for zh:
1,026,000), where Django sets no separator at all."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
