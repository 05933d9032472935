"""Template tags for embeds: the oEmbed discovery link (cms.oembed)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_link(context, title):
    """`<link rel="alternate" type="application/json+oembed">` pointing at /oembed for this page."""
    from cms.oembed import discovery_href

    request = context.get("request")
    if request is None:
        return ""
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        discovery_href(request),
        title,
    )


@register.simple_tag(takes_context=True)
def embed_snippet(context, product):
    """The HTML an organiser pastes to embed `product`: a placeholder and the shop's embed script."""
    from django.conf import settings
    from django.utils.translation import get_language

    request = context["request"]
    # The unhashed static name: the snippet lives on other sites for years, past any manifest hash.
    script = request.build_absolute_uri(f"{settings.STATIC_URL}embed/embed.js")
    return (
        f'<div class="htx-embed" data-product="{product.pk}" data-lang="{get_language()}" data-theme="light"></div>\n'
        f'<script src="{script}" async></script>'
    )
