"""Writes for people, cities, city memberships and good practices.

Permission checks (who may call these for which city) are the doors' job, with the predicates in
cities/permissions.py; these functions enforce the domain's own rules and states.

people.py          consent to be contacted, an official's own person record and language
memberships.py     asking to act for a city (or proposing a new one), staff's decisions, leaving
profiles.py        a city's profile and contacts, edited by its officials
good_practices.py  publishing, editing, withdrawing good practices
places.py          staff's edits of countries and cities
"""

from .good_practices import (
    good_practice_create,
    good_practice_delete,
    good_practice_publish,
    good_practice_save,
    good_practice_update,
    good_practice_withdraw,
)
from .memberships import (
    city_propose,
    city_review_approve,
    city_review_reject,
    membership_approve,
    membership_leave,
    membership_reject,
    membership_request,
)
from .people import (
    official_person_save,
    person_account_email_changed,
    person_consent_follow_address,
    person_consent_give,
    person_consent_withdraw,
    person_language_set,
    person_save,
)
from .places import city_save, country_save
from .profiles import city_contact_add, city_contact_remove, city_contact_update, city_profile_update

__all__ = [
    "city_contact_add",
    "city_contact_remove",
    "city_contact_update",
    "city_profile_update",
    "city_propose",
    "city_review_approve",
    "city_review_reject",
    "city_save",
    "country_save",
    "good_practice_create",
    "good_practice_delete",
    "good_practice_publish",
    "good_practice_save",
    "good_practice_update",
    "good_practice_withdraw",
    "membership_approve",
    "membership_leave",
    "membership_reject",
    "membership_request",
    "official_person_save",
    "person_account_email_changed",
    "person_consent_follow_address",
    "person_consent_give",
    "person_consent_withdraw",
    "person_language_set",
    "person_save",
]
