"""What a user may do with a city: plain predicates used by views, API and admin alike."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import City, CityMembership


def is_city_official(user: AbstractBaseUser | AnonymousUser, city: City) -> bool:
    """An approved official of ``city``."""
    if not user.is_authenticated:
        return False
    return CityMembership.objects.filter(user=user, city=city, status=CityMembership.Status.APPROVED).exists()


def can_edit_city(user: AbstractBaseUser | AnonymousUser, city: City) -> bool:
    return is_city_official(user, city)
