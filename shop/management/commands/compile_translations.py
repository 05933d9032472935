"""Compile the project's .po catalogues to .mo with Babel, so setup needs no GNU gettext."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS to .mo (pure Python; used by `make`)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_path.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                try:
                    with po_path.open("rb") as po_file:
                        catalog = read_po(po_file, locale=po_path.parts[-3])
                except Exception as exc:  # noqa: BLE001 (report which file is broken)
                    raise CommandError(f"{po_path}: {exc}") from exc
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {po_path}")
        if options["verbosity"]:
            self.stdout.write(f"{compiled} catalogue(s) compiled")
