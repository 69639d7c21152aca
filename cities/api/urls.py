from . import views

# (prefix, viewset, basename): travelsouth/urls.py registers them under /api/v1/.
routes = [
    ("cities", views.CityViewSet, "city"),
    ("countries", views.CountryViewSet, "country"),
    ("organisations", views.OrganisationViewSet, "organisation"),
    ("themes", views.ThemeViewSet, "theme"),
    ("good-practices", views.GoodPracticeViewSet, "good-practice"),
]
