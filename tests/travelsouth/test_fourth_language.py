"""A fourth language is settings, a migration and a catalogue: with EXTRA_LANGUAGES=pt (São Paulo's
language), makemigrations adds a Portuguese column to each translated field and nothing else, the
database takes it, and a page under /pt/ reads the Portuguese content and interface.

The run is a subprocess (the languages are read once, at start-up), on a fresh SQLite file, with the
translated apps' migrations copied to a temporary folder (MIGRATION_MODULES), so the repository is
not touched; the other apps' tables are made from their models, which is quicker.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
TRANSLATED_APPS = ["cities", "partnerships", "report", "surveys", "webinars"]

SCRIPT = textwrap.dedent(
    """
    import json, shutil, sys
    from pathlib import Path

    import django
    from django.conf import settings

    tmp = Path(sys.argv[1])
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    apps = json.loads(sys.argv[2])
    sys.path.insert(0, str(tmp))
    for app in apps:
        shutil.copytree(Path(settings.BASE_DIR) / app / "migrations", tmp / f"migrations_{app}")
    # The other apps' tables straight from their models (quicker than their migrations).
    from django.apps import apps as registry

    others = {config.label: None for config in registry.get_app_configs() if config.label not in apps}
    settings.MIGRATION_MODULES = {**others, **{app: f"migrations_{app}" for app in apps}}
    call_command("makemigrations", *apps, name="portuguese", verbosity=0)
    new = {
        app: [str(path.name) for path in (tmp / f"migrations_{app}").glob("*_portuguese.py")] for app in apps
    }
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    operations = sorted(
        f"{type(operation).__name__} {operation.model_name}.{operation.name}"
        for (app, name), migration in loader.disk_migrations.items()
        if name.endswith("_portuguese")
        for operation in migration.operations
    )
    call_command("migrate", run_syncdb=True, verbosity=0)

    from cities.models import City, Country, Region

    region = Region.objects.create(code="419", name="Latin America", name_pt="América Latina", level="region")
    sub = Region.objects.create(code="005", name="South America", name_pt="América do Sul", level="subregion", parent=region)
    brazil = Country.objects.create(iso_code="BR", name="Brazil", name_pt="Brasil", region=region, subregion=sub)
    City.objects.create(
        slug="sao-paulo",
        name="Sao Paulo",
        name_pt="São Paulo",
        description="The largest city of Brazil.",
        description_pt="A maior cidade do Brasil.",
        country=brazil,
    )
    setup_test_environment()
    response = Client().get("/pt/cities/sao-paulo/")
    print(json.dumps({
        "new": new,
        "operations": operations,
        "status": response.status_code,
        "page": response.content.decode(),
    }))
    """
)

CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: pt\\n"

msgid "Skip to content"
msgstr "Ir para o conteúdo"
"""


def test_portuguese_is_settings_a_migration_and_a_catalogue(tmp_path):
    # The catalogue: one message is enough to show the interface's language comes from it.
    messages = tmp_path / "locale" / "pt" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(CATALOGUE, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", messages / "django.mo", messages / "django.po"], check=True)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "travelsouth.settings",
        "EXTRA_LANGUAGES": "pt",
        "EXTRA_LOCALE_PATHS": str(tmp_path / "locale"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DEBUG": "1",
        "SECRET_KEY": "fourth-language-test",
    }
    environment.pop("REDIS_URL", None)

    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), json.dumps(TRANSLATED_APPS)],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert {app: len(names) for app, names in result["new"].items()} == dict.fromkeys(TRANSLATED_APPS, 1)
    # Only a Portuguese column per translated field: nothing else changes.
    assert result["operations"] and all(
        operation.startswith("AddField ") and operation.endswith("_pt") for operation in result["operations"]
    ), result["operations"]
    assert "AddField city.name_pt" in result["operations"]
    page = result["page"]
    assert result["status"] == 200
    assert '<html lang="pt"' in page and "Ir para o conteúdo" in page
    assert "São Paulo" in page and "A maior cidade do Brasil." in page and "Brasil" in page
    assert "The largest city of Brazil." not in page
