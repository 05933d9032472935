"""Product titles and descriptions go through the same PO round trip as pages."""

import os

import polib
import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


def test_export_import_round_trip(tmp_path):
    product = Product.objects.get(upc="DEMO-BGM-W240-500")
    product.title_en = ""
    product.save()
    path = tmp_path / "products-en.po"
    call_command("product_translations", "export", "en", str(path), stdout=open(os.devnull, "w"))
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgctxt == f"product:{product.pk}:title")
    assert entry.msgid == product.title and entry.msgstr == ""
    entry.msgstr = "Bù Gia Mập W240 kernels"
    stale = next(e for e in po if e.msgctxt.endswith(":title") and e is not entry)
    stale.msgid = "an older Vietnamese title"
    stale.msgstr = "must not be imported"
    po.save(str(path))
    call_command("product_translations", "import", "en", str(path), stdout=open(os.devnull, "w"))
    product.refresh_from_db()
    assert product.title_en == "Bù Gia Mập W240 kernels"
    assert not Product.objects.filter(title_en="must not be imported").exists()
