from . import views

routes = [
    ("partnerships", views.PartnershipViewSet, "partnership"),
    ("proposals", views.ProposalViewSet, "proposal"),
    ("invitations", views.InvitationViewSet, "invitation"),
]
