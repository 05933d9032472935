"""Template tags for embeds: the oEmbed discovery link (cms.oembed), snippets, links out of embeds."""

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


@register.filter
def from_embed(url, fair_code):
    """A link out of an embed: `url` carrying the fair's code when the embed has one (shop.fairs.attribution)."""
    if not url or not fair_code:
        return url
    from shop.fairs.attribution import fair_link

    return fair_link(url, fair_code, from_embed=True)


@register.simple_tag(takes_context=True)
def embed_snippet(context, product=None, page=None, fair_code=""):
    """The HTML an organiser pastes: a placeholder for a product (or a collection / trade fair page) and the script.

    `fair_code` adds `data-fair`, so the card's links carry that fair's code.
    """
    from django.conf import settings
    from django.utils.html import escape
    from django.utils.translation import get_language

    request = context["request"]
    # The unhashed static name: the snippet lives on other sites for years, past any manifest hash.
    script = request.build_absolute_uri(f"{settings.STATIC_URL}embed/embed.js")
    kind, pk = ("page", page.pk) if page is not None else ("product", product.pk)
    fair = f' data-fair="{escape(fair_code)}"' if fair_code else ""
    # Plain text (escaped where it is shown): the organiser copies it from a textarea.
    return (
        f'<div class="htx-embed" data-{kind}="{pk}"{fair} data-lang="{escape(get_language())}" data-theme="light"></div>\n'
        f'<script src="{escape(script)}" async></script>'
    )


@register.simple_tag
def embed_preview_url(product=None, page=None, fair_code="", theme=""):
    """The embed page a snippet shows (a product's, with the fair's code if given; or a page's), in a theme."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from shop.fairs.attribution import PARAM

    if page:
        url, query = reverse("embed:page", args=[page.pk]), {}
    else:
        url, query = reverse("embed:product", args=[product.pk]), {PARAM: fair_code} if fair_code else {}
    if theme:
        query = {"theme": theme, **query}
    return url + ("?" + urlencode(query) if query else "")
