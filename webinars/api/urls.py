from . import views

routes = [("webinars", views.WebinarViewSet, "webinar")]
