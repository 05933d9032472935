"""Message catalogues: English complete for our strings, Vietnamese complete for Oscar's gaps."""

from pathlib import Path

import oscar
import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
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
