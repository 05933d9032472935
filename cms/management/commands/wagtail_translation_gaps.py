"""Wagtail's and wagtail-localize's admin strings that still show in English, as a PO file to translate.

    manage.py wagtail_translation_gaps                      # server-side strings (django domain)
    manage.py wagtail_translation_gaps --domain djangojs    # the admin's JavaScript catalogue

The msgids are those of the packages' English source catalogues (`**/locale/en/LC_MESSAGES/`). A
string counts as translated when the *effective* catalogue translates it, the way a request sees
it: Django merges every installed app's catalogue, then LOCALE_PATHS, so Django's, Oscar's or our
supplement (`cms/wagtail_locale`) may cover what Wagtail's own leaves empty. JavaScript strings are
checked against what `/admin/jsi18n/` (and wagtail-localize's editor catalogue) serve: the package's
own djangojs catalogue plus LOCALE_PATHS. After a Wagtail upgrade, tests/shop/test_translations.py
names the new gaps; this command prints them for cms/wagtail_locale/vi/LC_MESSAGES/.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import wagtail
import wagtail_localize
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

PACKAGES = (wagtail, wagtail_localize)
DOMAINS = ("django", "djangojs")

# Strings written the same in Vietnamese, so an "untranslated" result is the right one. Keep it short.
SAME_IN_VIETNAMESE = {
    # Vietnamese software writes "Email" (Django's and Wagtail's own vi catalogues do too).
    "Email",
    # The column of record numbers; "ID" is what Vietnamese interfaces show.
    "ID",
    # Nothing but placeholders and punctuation.
    "%(field_label)s:",
    "%(time_zone_option)s: %(localized_time_zone_label)s",
    # Product names (app labels): names stay as they are.
    "Wagtail API v2",
    "Wagtail API v3",
}


@dataclass(frozen=True)
class SourceMessage:
    """One msgid of a package's English catalogue, where it comes from and how it is used."""

    domain: str
    package: str  # the app whose locale/ holds the catalogue, e.g. "wagtail.admin"
    context: str | None
    msgid: str
    msgid_plural: str | None
    flags: tuple[str, ...]
    locations: tuple[tuple[str, int], ...]


def source_messages(domain: str) -> list[SourceMessage]:
    """Every msgid of the English catalogues of `domain`, once each.

    Server-side strings share one catalogue, so the first app that has a msgid stands for all; each
    JavaScript catalogue is served on its own, so there a msgid is listed once per package.
    """
    seen, messages = set(), []
    for package in PACKAGES:
        root = Path(package.__file__).parent
        for po_path in sorted(root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")):
            app_dir = po_path.parents[3]
            folder = app_dir.relative_to(root.parent)  # e.g. wagtail/admin
            app = ".".join(folder.parts)
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale="en")
            for message in catalog:
                if not message.id:
                    continue
                singular, plural = message.id if isinstance(message.id, tuple) else (message.id, None)
                key = (app if domain == "djangojs" else None, message.context, singular, plural)
                if key in seen:
                    continue
                seen.add(key)
                messages.append(
                    SourceMessage(
                        domain=domain,
                        package=app,
                        context=message.context,
                        msgid=singular,
                        msgid_plural=plural,
                        flags=tuple(sorted(message.flags)),
                        locations=tuple((f"{folder.as_posix()}/{file}", line) for file, line in message.locations),
                    )
                )
    return messages


class _JavaScriptCatalogue:
    """The translations a package's JavaScriptCatalog view serves for the active language."""

    def __init__(self, package: str):
        installed = {config.name for config in apps.get_app_configs()}
        paths = JavaScriptCatalog().get_paths([package]) if package in installed else None
        self.translation = DjangoTranslation(translation.get_language(), domain="djangojs", localedirs=paths)

    def gettext(self, message):
        return self.translation.gettext(message)

    def ngettext(self, singular, plural, number):
        return self.translation.ngettext(singular, plural, number)

    def pgettext(self, context, message):
        return self.translation.pgettext(context, message)

    def npgettext(self, context, singular, plural, number):
        return self.translation.npgettext(context, singular, plural, number)


def _is_translated(message: SourceMessage, catalogue) -> bool:
    if message.msgid_plural is None:
        if message.context:
            return catalogue.pgettext(message.context, message.msgid) != message.msgid
        return catalogue.gettext(message.msgid) != message.msgid
    # Vietnamese has one plural form; n=1 would pick English's singular if nothing translated it.
    if message.context:
        text = catalogue.npgettext(message.context, message.msgid, message.msgid_plural, 1)
    else:
        text = catalogue.ngettext(message.msgid, message.msgid_plural, 1)
    return text != message.msgid


def untranslated_strings(language: str = "vi", domain: str = "django") -> list[SourceMessage]:
    """The source messages whose effective `language` translation is still the English msgid."""
    gaps = []
    with translation.override(language):
        js_catalogues = {}
        for message in source_messages(domain):
            if message.msgid in SAME_IN_VIETNAMESE:
                continue
            if domain == "djangojs":
                if message.package not in js_catalogues:
                    js_catalogues[message.package] = _JavaScriptCatalogue(message.package)
                catalogue = js_catalogues[message.package]
            else:
                catalogue = translation
            if not _is_translated(message, catalogue):
                gaps.append(message)
    return gaps


class Command(BaseCommand):
    help = "Print, as a PO file, the Wagtail and wagtail-localize strings with no effective translation."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="vi")
        parser.add_argument("--domain", choices=DOMAINS, default="django")

    def handle(self, *args, language, domain, **options):
        gaps = untranslated_strings(language, domain)
        catalog = Catalog(locale=language, project="wagtail supplement", charset="utf-8")
        for message in gaps:
            msgid = (message.msgid, message.msgid_plural) if message.msgid_plural else message.msgid
            catalog.add(
                msgid,
                string=("",) * catalog.num_plurals if message.msgid_plural else "",
                locations=message.locations,
                flags=message.flags,
                context=message.context,
            )
        output = io.BytesIO()
        write_po(output, catalog, width=100, omit_header=False)
        self.stdout.write(output.getvalue().decode("utf-8"), ending="")
        if options["verbosity"]:
            self.stderr.write(f"{len(gaps)} {domain} string(s) without {language} translation")
