"""schema.org JSON-LD for product pages: Product with gtin14, the cooperative as brand and
manufacturer, an Offer in VND and the product's certifications (schema.org Certification)."""

import json

from django.utils.safestring import mark_safe

from catalog.models import IN_FORCE, OcopRating

# As django.utils.html.json_script: "<", ">" and "&" cannot end the script element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _organization(request, cooperative):
    data = {"@type": "Organization", "name": cooperative.get_name()}
    data["url"] = request.build_absolute_uri(cooperative.get_absolute_url())
    if cooperative.address:
        data["address"] = {"@type": "PostalAddress", "streetAddress": cooperative.address, "addressCountry": "VN"}
    return data


def _certification(request, item):
    cert = item.certificate
    data = {
        "@type": "Certification",
        "name": str(cert.get_kind_display()),
        "certificationIdentification": cert.number,
        "issuedBy": {"@type": "Organization", "name": cert.certifying_body},
        "certificationStatus": "CertificationActive" if item.status in IN_FORCE else "CertificationInactive",
        "url": request.build_absolute_uri(cert.get_absolute_url()),
    }
    if cert.valid_from:
        data["validFrom"] = cert.valid_from.isoformat()
    if cert.expires_on:
        data["expires"] = cert.expires_on.isoformat()
    if cert.is_ocop:
        # The product's rating is already an OcopRating; asking it for .ocoprating would query again.
        rating = cert if isinstance(cert, OcopRating) else cert.ocoprating
        data["certificationRating"] = {"@type": "Rating", "ratingValue": rating.stars, "bestRating": 5}
    return data


def product_jsonld(request, product, product_trace, purchase_info=None) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "url": request.build_absolute_uri(product.get_absolute_url()),
    }
    if product.upc:
        data["sku"] = product.upc
    if product.gtin:
        data["gtin14"] = product.gtin
    image = product.primary_image()
    if getattr(image, "original", None):
        data["image"] = request.build_absolute_uri(image.original.url)
    if product.cooperative_id:
        organization = _organization(request, product.cooperative)
        data["brand"] = {"@type": "Brand", "name": organization["name"]}
        data["manufacturer"] = organization
    if purchase_info is not None and purchase_info.price.exists:
        price = purchase_info.price
        amount = price.incl_tax if price.is_tax_known else price.excl_tax
        available = purchase_info.availability.is_available_to_buy
        data["offers"] = {
            "@type": "Offer",
            "price": str(int(amount)),
            "priceCurrency": price.currency,
            "availability": "https://schema.org/" + ("InStock" if available else "OutOfStock"),
            "url": data["url"],
        }
    certificates = list(product_trace.certificates)
    if product_trace.ocop is not None:
        from catalog.trace import CertificateAt

        ocop = product_trace.ocop
        certificates.insert(0, CertificateAt(ocop, ocop.status(product_trace.today), product_trace.today))
    if certificates:
        data["hasCertification"] = [_certification(request, item) for item in certificates]
    return data


def script_tag(data) -> str:
    """A <script type="application/ld+json"> element with HTML-significant characters escaped."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
