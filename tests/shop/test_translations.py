"""Message catalogues: English complete for our strings, Vietnamese complete for Oscar's and Wagtail's gaps."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import oscar
import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.utils import translation

from cms.management.commands.wagtail_translation_gaps import (
    SAME_IN_VIETNAMESE,
    source_messages,
    untranslated_strings,
)

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
def test_oscar_dashboard_menu_names_the_orders_section_plainly(admin_client):
    """Oscar's catalogue says "Cam kết thực hiện" (a commitment to perform) for "Fulfilment"."""
    html = admin_client.get("/shop/dashboard/").content.decode()
    assert "Xử lý đơn hàng" in html and "Cam kết thực hiện" not in html


@pytest.mark.django_db
def test_storefront_pages_in_vietnamese_show_oscar_strings_translated(client):
    html = client.get("/shop/basket/").content.decode()
    assert "Your basket is empty" not in html
    assert "Giỏ hàng" in html


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_vietnamese_supplement_covers_every_string_wagtail_leaves_untranslated(domain):
    """Every msgid of Wagtail's and wagtail-localize's English catalogues reads Vietnamese in the admin.

    "Translated" is what a request gets: Django's, Oscar's, Wagtail's and our catalogues merged
    (cms/wagtail_locale fills the rest). `manage.py wagtail_translation_gaps` prints what fails here.
    """
    assert len(source_messages(domain)) > (1500 if domain == "django" else 100), "found the English catalogues"
    gaps = [m.msgid for m in untranslated_strings("vi", domain)]
    assert gaps == [], f"{len(gaps)} Wagtail {domain} strings still in English: {gaps[:10]}"


def test_strings_allowed_to_stay_english_are_wagtail_strings_that_vietnamese_writes_the_same():
    """The allowlist holds no stale entry: each is a Wagtail msgid whose effective translation is itself."""
    msgids = {m.msgid for domain in ("django", "djangojs") for m in source_messages(domain)}
    assert SAME_IN_VIETNAMESE <= msgids
    with translation.override("vi"):
        translated = {s for s in SAME_IN_VIETNAMESE if translation.gettext(s) != s}
    assert translated == set(), "translated now: drop them from SAME_IN_VIETNAMESE"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_gaps_command_prints_a_po_file_to_translate(domain):
    """Nothing to do for Vietnamese; for English (where every msgid is its own text) everything, ready to fill."""
    out = io.StringIO()
    call_command("wagtail_translation_gaps", "--domain", domain, stdout=out, verbosity=0)
    assert [m.id for m in read_po(io.BytesIO(out.getvalue().encode()), locale="vi") if m.id] == []

    out = io.StringIO()
    call_command("wagtail_translation_gaps", "--domain", domain, "--language", "en", stdout=out, verbosity=0)
    catalog = read_po(io.BytesIO(out.getvalue().encode()), locale="en")
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert len(messages) > (1500 if domain == "django" else 80)
    assert all(_missing(m) for m in messages.values()), "every msgstr is left empty"
    example = messages["Sign in" if domain == "django" else "%(num)s error"]
    assert example.locations and example.locations[0][0].startswith("wagtail/admin/")
    if domain == "djangojs":
        assert example.id == ("%(num)s error", "%(num)s errors") and "python-format" in example.flags


@pytest.mark.django_db
def test_admin_login_page_in_vietnamese(client):
    html = client.get("/admin/login/").content.decode()
    for vietnamese in ("Đăng nhập", "Mật khẩu", "Ghi nhớ đăng nhập", "Quên mật khẩu?", "Tên đăng nhập của bạn"):
        assert vietnamese in html
    for english in ("Sign in", "Password", "Remember me", "Forgotten password?", "Enter your"):
        assert english not in html


@pytest.mark.django_db
def test_admin_login_refusal_in_vietnamese(client):
    html = client.post("/admin/login/", {"username": "nobody", "password": "wrong"}).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại." in html
    assert "didn&#x27;t match" not in html and "didn't match" not in html


def test_admin_javascript_catalogue_serves_the_vietnamese_supplement(client):
    """The admin's scripts read their strings from /admin/jsi18n/, to which Django adds LOCALE_PATHS."""
    script = client.get("/admin/jsi18n/").content.decode()
    assert f'"Collapse all": {json.dumps("Thu gọn tất cả")}' in script
