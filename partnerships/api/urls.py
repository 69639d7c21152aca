from . import views

# Invitations (staff only) join here when they land: ("invitations", views.InvitationViewSet, "invitation").
routes = [
    ("partnerships", views.PartnershipViewSet, "partnership"),
    ("proposals", views.ProposalViewSet, "proposal"),
]
