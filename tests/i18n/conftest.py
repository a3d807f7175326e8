from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from core.catalogues import PSEUDO_LANGUAGE, extract_messages, package_catalogues, pseudo_catalogue, write_catalogue
from tests.access.world import build_world


@pytest.fixture(scope="session")
def pseudo_locale_dir(tmp_path_factory) -> Path:
    """The pseudo-locale, built from the strings extracted from the sources now (never from a committed file):
    ours first, then Django's and the packages' own catalogues, so their strings are marked too."""
    work = tmp_path_factory.mktemp("extract")
    ours = extract_messages(work)
    catalogue = pseudo_catalogue([ours, *package_catalogues()])
    out = tmp_path_factory.mktemp("pseudo-locale")
    write_catalogue(catalogue, out, PSEUDO_LANGUAGE)
    return out


@pytest.fixture(scope="module")
def pseudo_world(django_db_setup, django_db_blocker, tmp_path_factory, pseudo_locale_dir):
    """The access matrix's company, every client reading the pseudo-locale."""
    from django.conf import settings as django_settings

    media = tmp_path_factory.mktemp("i18n-media")
    settings = override_settings(
        MEDIA_ROOT=str(media),
        CENTRIC_REQUIRE_MFA=True,
        LANGUAGES=[*django_settings.LANGUAGES, (PSEUDO_LANGUAGE, "Pseudo")],
        LOCALE_PATHS=[pseudo_locale_dir, *django_settings.LOCALE_PATHS],
    )
    with django_db_blocker.unblock(), settings, transaction.atomic():
        world = build_world()
        for client in world.pages.values():
            client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = PSEUDO_LANGUAGE
        yield world
        transaction.set_rollback(True)


CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "sv" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def swedish_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The access matrix's company, every client reading Swedish from the committed catalogue, compiled now."""
    out = tmp_path_factory.mktemp("sv-locale")
    with CATALOGUE.open("rb") as stream:
        write_catalogue(read_po(stream), out, "sv")
    media = tmp_path_factory.mktemp("sv-media")
    overrides = override_settings(
        MEDIA_ROOT=str(media), CENTRIC_REQUIRE_MFA=True, LOCALE_PATHS=[out, *settings.LOCALE_PATHS]
    )
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        world = build_world()
        for client in world.pages.values():
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
        yield world
        transaction.set_rollback(True)
