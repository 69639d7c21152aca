"""What allauth's account flows tell the people records: the account's address changed."""

from cities import services


def on_account_email_changed(sender, *, request, user, from_email_address, to_email_address, **kwargs):
    """allauth's ``email_changed``: the user made another verified address their primary one."""
    services.person_account_email_changed(
        user=user,
        previous_email=from_email_address.email if from_email_address else "",
        email=to_email_address.email,
    )
