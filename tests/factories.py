"""Test data builders. Each returns a saved, valid row with sensible defaults."""

import itertools

from django.utils.text import slugify

from cities.models import City, Country, GoodPractice, Language, Organisation, Person, Region, Theme

_sequence = itertools.count(1)


def region(*, name: str = "Americas", code: str = "019") -> Region:
    return Region.objects.get_or_create(code=code, defaults={"name": name, "level": Region.Level.REGION})[0]


def subregion(
    *, name: str = "Latin America and the Caribbean", code: str = "419", parent: Region | None = None
) -> Region:
    return Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": Region.Level.SUBREGION, "parent": parent or region()}
    )[0]


def country(*, iso_code: str = "MX", name: str = "Mexico", is_global_south: bool = True) -> Country:
    sub = subregion()
    return Country.objects.get_or_create(
        iso_code=iso_code,
        defaults={"name": name, "region": sub.parent, "subregion": sub, "is_global_south": is_global_south},
    )[0]


def language(*, code: str = "es", name: str = "Spanish") -> Language:
    return Language.objects.get_or_create(code=code, defaults={"name": name})[0]


def theme(*, slug: str = "heritage-conservation", name: str = "Heritage conservation") -> Theme:
    return Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def city(*, name: str | None = None, country_: Country | None = None, **fields) -> City:
    number = next(_sequence)
    name = name or f"City {number}"
    slug = fields.pop("slug", None) or slugify(f"{name}-{number}")
    return City.objects.create(slug=slug, name=name, country=country_ or country(), **fields)


def organisation(*, name: str | None = None, kind: str = Organisation.Kind.NGO) -> Organisation:
    number = next(_sequence)
    name = name or f"Organisation {number}"
    return Organisation.objects.create(slug=f"organisation-{number}", name=name, kind=kind)


def person(*, full_name: str | None = None, **fields) -> Person:
    number = next(_sequence)
    return Person.objects.create(slug=f"person-{number}", full_name=full_name or f"Person {number}", **fields)


def good_practice(
    *, city_: City | None = None, title: str | None = None, themes=(), **fields
) -> GoodPractice:
    number = next(_sequence)
    practice = GoodPractice.objects.create(
        slug=f"practice-{number}",
        city=city_ or city(),
        title=title or f"Practice {number}",
        summary="What the city did.",
        **fields,
    )
    practice.themes.set(themes or [theme()])
    return practice


def user(*, email: str | None = None, password: str = "a-Long-enough-passw0rd", verified: bool = True):
    """A signed-up user whose e-mail address is verified (allauth's EmailAddress), as after sign-up."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    number = next(_sequence)
    email = email or f"official{number}@city.example"
    account = get_user_model().objects.create_user(username=f"user{number}", email=email, password=password)
    EmailAddress.objects.create(user=account, email=email, primary=True, verified=verified)
    return account


def official(*, city_: City, account=None, full_name: str | None = None, staff=None):
    """An approved official of ``city_``, through the real request and approval services."""
    from django.contrib.auth import get_user_model

    from cities.services import membership_approve, membership_request

    account = account or user()
    staff = staff or get_user_model().objects.filter(is_staff=True).first()
    if staff is None:
        staff = user(email="reviewer@unossc.example")
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
    membership = membership_request(
        user=account, city=city_, full_name=full_name or f"Official of {city_.name}", role="Tourism director"
    )
    membership_approve(membership=membership, by=staff)
    return account
