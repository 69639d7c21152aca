from . import views

routes = [("surveys", views.SurveyViewSet, "survey")]
