"""Message catalogues: English complete for our strings, Vietnamese complete for Oscar's gaps."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import oscar
import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# What makemessages reads: our apps and templates (the catalogues themselves are compared, not copied).
SOURCES = ("manage.py", "shop", "catalog", "cms", "templates")
OSCAR_VI = Path(oscar.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _catalog(path, locale):
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def _missing(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or not all(strings)


def test_english_catalogue_translates_every_string_of_ours():
    catalog = _catalog(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po", "en")
    missing = [m.id for m in catalog if m.id and _missing(m)]
    assert missing == [], f"{len(missing)} strings without English: {missing[:10]}"


def _keys(catalog):
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


@pytest.mark.skipif(
    not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed: apt-get install gettext"
)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_catalogue_holds_every_string_the_code_marks_for_translation(tmp_path, language):
    """A new `_()` or `{% translate %}` without its catalogue entry fails here, not in front of a shopper."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test", "PYTHONPATH": str(tmp_path)}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = _keys(_catalog(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po", language))
    committed = _keys(_catalog(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", language))
    assert len(extracted) > 500, "makemessages found the project's strings"
    missing = sorted(key[1] for key in extracted - committed)
    assert missing == [], f"{len(missing)} strings not in locale/{language} (run makemessages): {missing[:10]}"


def test_vietnamese_supplement_covers_every_string_oscar_leaves_untranslated():
    oscar_catalog = _catalog(OSCAR_VI, "vi")
    ours = _catalog(ROOT / "shop" / "oscar_locale" / "vi" / "LC_MESSAGES" / "django.po", "vi")
    gaps = [(m.context, m.id) for m in oscar_catalog if m.id and _missing(m)]
    assert gaps, "Oscar's Vietnamese catalogue changed: re-check the supplement"
    not_covered = [
        key for key in gaps if ours.get(key[1], context=key[0]) is None or _missing(ours.get(key[1], context=key[0]))
    ]
    assert not_covered == []


@pytest.mark.django_db
def test_storefront_pages_in_vietnamese_show_oscar_strings_translated(client):
    html = client.get("/shop/basket/").content.decode()
    assert "Your basket is empty" not in html
    assert "Giỏ hàng" in html
