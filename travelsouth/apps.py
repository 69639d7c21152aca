from django.apps import AppConfig


class TravelSouthConfig(AppConfig):
    name = "travelsouth"
    verbose_name = "Travel South"
