from . import views

routes = [("webinars", views.WebinarViewSet, "webinar"), ("quotes", views.QuoteViewSet, "quote")]
