"""Norwegian bokmål and English: the nb catalogue is complete, compiled and in step."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "src" / "normalitet" / "locale"
PO = LOCALE / "nb" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "nb" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+]?[a-z]")


def test_every_message_is_translated_with_its_placeholders():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert untranslated == []
    for entry in po:
        if entry.msgid_plural:
            # The singular form may leave out the number ("Every month"), the plural may not.
            allowed = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
            forms = entry.msgstr_plural
            assert set(PLACEHOLDER.findall(forms[0])) <= allowed, entry.msgid
            assert sorted(PLACEHOLDER.findall(forms[1])) == sorted(
                PLACEHOLDER.findall(entry.msgid_plural)
            ), entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(
                PLACEHOLDER.findall(entry.msgid)
            ), entry.msgid


def test_compiled_catalogue_matches_the_source():
    def entries(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in catalogue if e.msgid
        }

    assert entries(polib.pofile(str(PO))) == entries(polib.mofile(str(MO)))


def test_catalogue_is_used():
    with translation.override("nb"):
        assert translation.gettext("The cell is full.") == "Cellen er full."


def test_catalogue_is_in_step_with_the_code(tmp_path):
    """Every translatable string in the code is in the catalogue."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext (Debian package gettext) is needed to check the catalogue")
        pytest.skip("xgettext not installed: catalogue sync not checked here (CI checks it)")
    copy = tmp_path / "normalitet"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "normalitet.config.settings.test"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nb",
            "--no-location",
            "--no-obsolete",
            "-i",
            "migrations/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/nb/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO))}
    assert sorted(fresh - known) == []
