from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # The hooks of the apps below: partnerships acts on what they tell it (travelsouth/hooks.py).
        from cities import changes as city_changes
        from surveys import changes as survey_changes

        from .invitations.outreach import invitations_cancel_for_person, membership_decision_email_create
        from .lifecycle import schedule_waiting_approvals_check
        from .matching.runs import schedule_city_proposals_refresh, schedule_matching_index_rebuild
        from .survey_answers import on_response_submitted

        city_changes.city_data_changed.connect(schedule_city_proposals_refresh)
        city_changes.city_data_changed.connect(schedule_waiting_approvals_check)
        city_changes.vocabulary_changed.connect(schedule_matching_index_rebuild)
        city_changes.consent_withdrawn.connect(invitations_cancel_for_person)
        city_changes.membership_decided.connect(membership_decision_email_create)
        survey_changes.response_submitted.connect(on_response_submitted)
