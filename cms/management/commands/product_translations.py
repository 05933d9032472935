"""Product titles and descriptions through the same PO workflow as pages (wagtail-localize).

    manage.py product_translations export en > products-en.po   # Vietnamese source, English so far
    manage.py product_translations import en products-en.po     # fill title_en / description_en
    manage.py product_translations missing en                   # what still needs a translator

Only English is stored on the product (title_en, description_en). An entry whose source text has
changed since it was translated is marked fuzzy on export and skipped on import.
"""

import sys

import polib
from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
FIELDS = {"title": "title_en", "description": "description_en"}


def export_po(language: str) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": language, "Content-Type": "text/plain; charset=utf-8"}
    for product in Product.objects.exclude(structure="child").order_by("pk"):
        for source, target in FIELDS.items():
            text = getattr(product, source) or ""
            if not text:
                continue
            po.append(
                polib.POEntry(
                    msgctxt=f"product:{product.pk}:{source}",
                    msgid=text,
                    msgstr=getattr(product, target) or "",
                    comment=product.upc or "",
                )
            )
    return po


def import_po(po: polib.POFile) -> int:
    """Write translated entries whose source still matches; return how many products changed."""
    changed = set()
    products = {}
    for entry in po:
        try:
            kind, pk, field = (entry.msgctxt or "").split(":")
        except ValueError:
            continue
        if kind != "product" or field not in FIELDS or not entry.msgstr or entry.fuzzy:
            continue
        product = products.get(pk) or Product.objects.filter(pk=pk).first()
        if product is None or (getattr(product, field) or "") != entry.msgid:
            continue  # the Vietnamese changed since export: leave it for the translator
        products[pk] = product
        if getattr(product, FIELDS[field]) != entry.msgstr:
            setattr(product, FIELDS[field], entry.msgstr)
            changed.add(pk)
    for pk in changed:
        products[pk].save()
    return len(changed)


class Command(BaseCommand):
    help = "Export, import or list product translations as PO files (English is stored on the product)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import", "missing"])
        parser.add_argument("language", choices=["en"])
        parser.add_argument("path", nargs="?")

    def handle(self, action, language, path=None, **options):
        if action == "export":
            po = export_po(language)
            if path:
                po.save(path)
            else:
                sys.stdout.write(str(po))
        elif action == "import":
            if not path:
                raise CommandError("import needs the PO file's path")
            count = import_po(polib.pofile(path))
            self.stdout.write(self.style.SUCCESS(f"{count} products updated."))
        else:
            missing = [e for e in export_po(language) if not e.msgstr]
            for entry in missing:
                self.stdout.write(f"{entry.msgctxt}\t{entry.comment}\t{entry.msgid[:60]}")
            self.stdout.write(f"{len(missing)} strings without {language}.")
