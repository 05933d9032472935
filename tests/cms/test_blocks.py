"""Every StreamField block has an icon, a template and a preview value that renders."""

import pytest
from django.template.loader import get_template

from cms.blocks import BaseStreamBlock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(BaseStreamBlock.base_blocks))
def test_block_has_icon_template_and_renders_its_preview(name):
    block = BaseStreamBlock.base_blocks[name]
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.meta.template and get_template(block.meta.template)
    value = block.get_preview_value()
    assert value is not None
    html = block.render(value)
    assert html.strip()


def test_video_without_local_file_loads_nothing_from_outside():
    block = BaseStreamBlock.base_blocks["video"]
    html = block.render(block.get_preview_value())
    assert "<iframe" not in html and "<script" not in html
    assert 'href="https://www.youtube.com/watch?v=example"' in html  # only a link the visitor may follow


def test_grower_story_needs_consent():
    from django.core.exceptions import ValidationError

    block = BaseStreamBlock.base_blocks["grower_story"]
    value = block.to_python({"quote": "q", "name": "n", "role": "", "photo": None, "consent": False})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_product_chooser_is_registered_in_the_admin(admin_client):
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    response = admin_client.get("/admin/product_chooser/?q=HAT DIEU RANG MUOI")
    assert response.status_code == 200
    product = Product.objects.get(upc="DEMO-BGM-RM-500")
    html = response.json()["html"]
    assert product.title in html
    assert "Điều nhân W240" not in html
