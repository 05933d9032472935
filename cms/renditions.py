"""The image sizes the public pages show, made by a background task when an image is uploaded or changed.

Wagtail makes a rendition (and Oscar's sorl-thumbnail a thumbnail) the first time a template asks
for it, inside that visitor's request: an AVIF of a 1440 px hero takes a second or more. So after an
image is saved (uploaded, replaced, or its focal point moved), `cms.signals` queues
`shop.tasks.generate_renditions_task` / `generate_product_thumbnails_task`, which make every size
listed here; the first visitor then finds them ready. Keep these lists in step with the templates
(`templates/includes/picture.html`, `includes/product_card.html`, ...): a test renders each one after
the task and fails if the page still had to make a rendition.

`PREGENERATE_RENDITIONS=false` switches this off (the test settings do, so that fixtures stay fast).
"""

import logging

from django.conf import settings
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

# Wagtail images: the {% picture %} specs of templates/includes/picture.html, then single renditions.
PICTURE_SPECS = (
    "format-{avif,webp} fill-{480,960,1440}x540",  # size="hero"
    "format-{avif,webp} fill-{320,640}x360",  # size="card"
    "format-{avif,webp} fill-{200,400}x200",  # size="thumb"
    "format-{avif,webp} width-{400,800,1200}",  # the default (image and video blocks)
)
IMAGE_SPECS = (
    "fill-1200x630|format-jpeg|jpegquality-80",  # Open Graph / Twitter card (cms_tags.SOCIAL_FILTER)
    "fill-480x320",  # trace timeline photos (catalog.trace.EVENT_PHOTO_SPEC)
    "max-240x240",  # cooperative logos
    "fill-1200x675|format-webp",  # video posters
)

# Oscar product images (sorl-thumbnail): (geometry, options) as the storefront templates ask for them.
PRODUCT_THUMBNAILS = (
    ("320x320", {"crop": "center", "format": "WEBP"}),  # product cards, embeds
    ("640x640", {"crop": "center", "format": "WEBP"}),  # product cards on wide screens
    ("240x240", {"crop": "center", "format": "WEBP"}),  # lot page
    ("480x480", {"crop": "center", "format": "WEBP"}),  # lot page, 2x screens
    ("440x400", {"upscale": False, "format": "WEBP"}),  # product page photos (catalog/includes/product_gallery.html)
    ("880x800", {"upscale": False, "format": "WEBP"}),  # product page photos, 2x screens
    ("100x100", {"upscale": False}),  # basket and checkout
    ("200x200", {"upscale": False}),  # thank-you page
    ("1200x630", {"crop": "center", "format": "JPEG"}),  # Open Graph / Twitter card
)


def enabled() -> bool:
    return getattr(settings, "PREGENERATE_RENDITIONS", True)


def image_filter_specs() -> list[str]:
    """Every Wagtail filter spec the public templates use, expanded ("fill-480x540|format-avif", ...)."""
    specs = []
    for pattern in PICTURE_SPECS:
        specs.extend(Filter.expand_spec(pattern))
    specs.extend(IMAGE_SPECS)
    return specs


def generate_image_renditions(image) -> int:
    """Make the renditions of one Wagtail image that do not exist yet; returns how many specs it holds."""
    specs = image_filter_specs()
    # get_renditions finds existing ones in one query and creates only what is missing.
    return len(image.get_renditions(*specs))


def generate_product_thumbnails(product_image) -> int:
    """Make the storefront thumbnails of one Oscar product image; returns how many."""
    from oscar.core.thumbnails import get_thumbnailer

    thumbnailer = get_thumbnailer()
    made = 0
    for size, options in PRODUCT_THUMBNAILS:
        thumbnailer.generate_thumbnail(product_image.original, size=size, **options)
        made += 1
    return made
