"""GS1 identifiers: GTIN check digits, lot codes (AI 10) and Digital Link URIs, all through biip.

Nothing here touches the database, so models can use these validators and tests can call them alone.
"""

from urllib.parse import quote, urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gtin import Gtin
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)


class InvalidIdentifier(ValueError):
    """A GTIN, lot code or Digital Link that GS1's rules refuse; the message is for people."""


def normalise_gtin(value: str) -> str:
    """Return the GTIN-14 for a GTIN-8, -12, -13 or -14, checking the mod-10 check digit."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) not in GTIN_LENGTHS:
        raise InvalidIdentifier(_("GTIN phải gồm 8, 12, 13 hoặc 14 chữ số."))
    try:
        gtin = Gtin.parse(value)
    except ParseError as exc:
        raise InvalidIdentifier(_("Chữ số kiểm tra của GTIN %(gtin)s không đúng.") % {"gtin": value}) from exc
    return gtin.as_gtin_14()


def validate_gtin(value: str) -> None:
    try:
        normalise_gtin(value)
    except InvalidIdentifier as exc:
        raise ValidationError(str(exc), code="invalid_gtin") from exc


def validate_lot_code(value: str) -> None:
    """A lot code must be a valid GS1 AI (10) value: 1–20 characters of GS1's character set 82.

    A slash is refused too: it is legal in AI (10) but WSGI servers decode %2F in the path, so a
    Digital Link with it could not be resolved reliably.
    """
    message = _("Mã lô phải gồm 1–20 ký tự chữ Latin không dấu, chữ số hoặc !\"%&'()*+,-.:;<=>?_ (không dùng “/”).")
    if not value or "/" in value:
        raise ValidationError(message, code="invalid_lot")
    try:
        element = GS1ElementString.parse(f"10{value}")
    except ParseError as exc:
        raise ValidationError(message, code="invalid_lot") from exc
    if element.value != value:
        raise ValidationError(message, code="invalid_lot")


def digital_link_path(gtin14: str, lot_code: str | None = None) -> str:
    """The path of a GS1 Digital Link URI: /01/{gtin14} or /01/{gtin14}/10/{lot}, built by biip."""
    elements = GS1ElementStrings([GS1ElementString.parse(f"01{gtin14}")])
    if lot_code:
        elements.append(GS1ElementString.parse(f"10{lot_code}"))
    return urlsplit(GS1DigitalLinkURI.from_element_strings(elements).as_uri()).path


def digital_link(gtin14: str, lot_code: str | None = None) -> str:
    """The absolute Digital Link on our own resolver (settings.GS1_RESOLVER_BASE)."""
    return settings.GS1_RESOLVER_BASE + digital_link_path(gtin14, lot_code)


class ParsedLink:
    """What a request to /01/... asks for: the GTIN-14, the lot (if any) and the other attributes."""

    def __init__(self, gtin14: str, lot: str | None, serial: str | None, attributes: dict):
        self.gtin14 = gtin14
        self.lot = lot
        self.serial = serial
        self.attributes = attributes


def parse_request_path(path: str, query: str = "") -> ParsedLink:
    """Parse the decoded request path (/01/...) and query string of a Digital Link request.

    WSGI hands us a percent-decoded path; it is quoted again so biip decodes each segment once.
    """
    if path.endswith("/") and path != "/":
        path = path[:-1]
    uri = "https://resolver.invalid" + quote(path, safe="/") + (f"?{query}" if query else "")
    try:
        parsed = GS1DigitalLinkURI.parse(uri)
    except ParseError as exc:
        raise InvalidIdentifier(str(exc)) from exc
    gtin_element = parsed.element_strings.get(ai="01")
    if gtin_element is None:
        raise InvalidIdentifier(_("Đường dẫn không có GTIN (AI 01)."))
    raw = path.split("/")[2] if path.count("/") >= 2 else ""
    if len(raw) not in GTIN_LENGTHS:
        raise InvalidIdentifier(_("GTIN phải gồm 8, 12, 13 hoặc 14 chữ số."))
    if gtin_element.gtin is None:
        raise InvalidIdentifier(_("Chữ số kiểm tra của GTIN %(gtin)s không đúng.") % {"gtin": raw})
    lot = parsed.element_strings.get(ai="10")
    serial = parsed.element_strings.get(ai="21")
    attributes = {es.ai.ai: es.value for es in parsed.element_strings if es.ai.ai not in {"01", "10", "21"}}
    return ParsedLink(
        gtin14=gtin_element.gtin.as_gtin_14(),
        lot=lot.value if lot else None,
        serial=serial.value if serial else None,
        attributes=attributes,
    )
