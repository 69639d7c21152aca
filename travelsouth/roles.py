"""The staff's roles: each a Django group holding a set of permissions ("app_label.codename").

The groups are made (and kept in step) by the data migrations of ``travelsouth`` that call
``roles_sync``; an administrator gives a staff account one or more of these groups in the admin. What
each role may do is written down in docs/security.md. Singleton settings (matching and invitation
settings) are in no role: superusers change them, or an account given that named permission.
"""

from collections.abc import Iterable

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def _perms(app_label: str, models: Iterable[str], actions: Iterable[str]) -> list[str]:
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


# Reference data and published content anyone on staff may read.
_CONTENT_MODELS = {
    "cities": ["city", "heritagesite", "organisation", "goodpractice", "theme", "country", "region"],
    "webinars": ["webinarseries", "webinar", "agendaitem", "viewcount", "quote", "quotespeaker"],
}

ROLES: dict[str, list[str]] = {
    # Reads the portal's content, the surveys' published structure and brokering's state; no person's
    # contact details, no raw answers, no personal links.
    "Viewer": [
        *(p for app, models in _CONTENT_MODELS.items() for p in _perms(app, models, [VIEW])),
        *_perms("surveys", ["survey", "question", "option"], [VIEW]),
        *_perms("partnerships", ["partnership", "agreement", "jointactivity", "checkin"], [VIEW]),
    ],
    # Edits cities, good practices, webinars and their quotes.
    "Content editor": [
        *(p for app, models in _CONTENT_MODELS.items() for p in _perms(app, models, [VIEW, ADD, CHANGE])),
        *_perms("cities", ["heritagesite"], [DELETE]),
        # The translation queue (good practices not yet in every language).
        *_perms("cities", ["goodpracticetotranslate"], [VIEW, CHANGE]),
        *_perms("webinars", ["agendaitem", "quote", "quotespeaker"], [DELETE]),
    ],
    # Builds surveys, reads every result and raw answer, invites people and hands out personal links.
    "Survey manager": [
        *_perms("surveys", ["survey", "question", "option"], [VIEW, ADD, CHANGE, DELETE]),
        *_perms("surveys", ["response", "answer", "responserevision"], [VIEW]),
        *_perms("surveys", ["surveyinvitee"], [VIEW, ADD, CHANGE, DELETE]),
        "surveys.view_personal_links",
        *_perms("cities", ["person"], [VIEW]),
        *_perms("cities", ["city", "country", "theme"], [VIEW]),
    ],
    # Brokers partnerships: reviews cities and memberships, runs matching, decides proposals, contacts
    # people (with their consent), tracks partnerships and invitations.
    "Broker": [
        *_perms("cities", ["city", "person", "citymembership", "organisation"], [VIEW, CHANGE]),
        *_perms("cities", ["person"], [ADD]),
        *_perms("cities", ["contactconsentevent", "country", "region", "theme", "goodpractice"], [VIEW]),
        *_perms("partnerships", ["interest", "proposal", "invitation", "partnership"], [VIEW, CHANGE]),
        *_perms("partnerships", ["matchingrun"], [VIEW, ADD]),
        *_perms(
            "partnerships",
            ["agreement", "jointactivity", "checkin", "timelineevent", "developmentpriority"],
            [VIEW],
        ),
        *_perms("partnerships", ["trainingworkshop"], [VIEW, ADD, CHANGE]),
        # The priority-to-theme map the matching scores with (each link with a strength).
        *_perms("partnerships", ["prioritythemelink"], [VIEW, ADD, CHANGE, DELETE]),
        *_perms("surveys", ["survey", "question", "option"], [VIEW]),
        *_perms("webinars", ["webinarseries", "webinar"], [VIEW]),
    ],
}


def roles_sync(apps, *, missing_ok: bool = False) -> None:
    """Create each role's group and give it exactly its permissions (with the historical models of a
    migration, or ``django.apps.apps``). Creates the permissions first: on a fresh database they are
    otherwise made only after all migrations have run.

    A change to ROLES takes a new migration that calls this again. An earlier migration runs with
    ``missing_ok``: a permission of a model made by a later migration is skipped there (the later
    migration gives it); tests/travelsouth/test_role_matrix.py checks that every name is real."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        historical = getattr(app_config, "models_module", None) is None
        if historical:
            app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        if historical:
            app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        found = []
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None and missing_ok:
                continue
            if permission is None:
                raise LookupError(f"Role {name!r} names an unknown permission {dotted!r}")
            found.append(permission)
        group.permissions.set(found)
