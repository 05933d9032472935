"""Media on S3-compatible object storage, against a real S3 server (moto's) on 127.0.0.1.

The storage settings under test are the ones base.py builds from the AWS_* environment: a
subprocess prints them, and every test here runs with exactly those. Files are then read back
over HTTP, the way a browser (or a CDN) gets them.
"""

import io

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty
from oscar.core.loading import get_model
from PIL import Image as PILImage

from tests.factories import create_product
from tests.shop.processes import settings_from_environment

pytest.importorskip(
    "moto.server", reason="moto is not installed (pip install -e '.[dev]'), so there is no local S3 server"
)
import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

pytestmark = pytest.mark.django_db

BUCKET = "htx-media-test"
ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "ap-southeast-1"
ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture(scope="module")
def s3_server():
    """(endpoint URL, boto3 client): moto's S3 server on a free loopback port, with an empty bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield endpoint, client
    server.stop()


def _storages_from_environment(**env):
    return settings_from_environment(["STORAGES"], **env)["STORAGES"]


@pytest.fixture(scope="module")
def s3_storage_settings(s3_server):
    endpoint, _ = s3_server
    storages = _storages_from_environment(
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_S3_REGION_NAME=REGION,
        AWS_S3_CUSTOM_DOMAIN="",
        AWS_QUERYSTRING_AUTH="true",
    )
    return storages["default"]


@pytest.fixture
def s3_media(settings, s3_server, s3_storage_settings):
    """The boto3 client of the bucket, with the default storage switched to it for one test."""
    from sorl.thumbnail import default as sorl

    # Django re-reads STORAGES when it changes; sorl keeps the storage it first looked up.
    sorl.storage._wrapped = empty
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings}
    yield s3_server[1]
    sorl.storage._wrapped = empty


def _image_bytes(fmt="JPEG", size=(120, 90)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (196, 140, 80)).save(buffer, fmt)
    return buffer.getvalue()


def _stored(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_settings_pick_s3_only_when_a_bucket_is_named(s3_storage_settings, s3_server):
    assert s3_storage_settings == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_server[0],
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "querystring_auth": True,
            "location": "",
            "file_overwrite": False,
        },
    }
    assert _storages_from_environment()["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # A bucket changes media only; production's static files stay with whitenoise.
    production = settings_from_environment(
        ["STORAGES"],
        "shop.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="shop.example.org",
        DATABASE_URL="sqlite:///:memory:",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
    )["STORAGES"]
    assert production["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert production["staticfiles"] == {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def test_product_image_is_stored_on_s3_and_served_over_http(s3_media, s3_server, client):
    endpoint, _ = s3_server
    product = create_product(title="Hạt điều rang muối S3")
    content = _image_bytes()
    image = ProductImage.objects.create(
        product=product, original=SimpleUploadedFile("hat-dieu.jpg", content, content_type="image/jpeg")
    )
    assert _stored(s3_media, image.original.name) == content

    url = image.original.url
    assert url.startswith(f"{endpoint}/{BUCKET}/")
    response = requests.get(url, timeout=30)
    assert response.status_code == 200 and response.content == content

    # A second upload with the same name gets its own object instead of replacing the first.
    again = ProductImage.objects.create(product=product, original=SimpleUploadedFile("hat-dieu.jpg", b"other"))
    assert again.original.name != image.original.name
    assert _stored(s3_media, image.original.name) == content

    # Oscar's thumbnails (sorl) are written to the same bucket and linked from the product page.
    from oscar.core.thumbnails import get_thumbnailer

    thumbnail = get_thumbnailer().generate_thumbnail(image.original, size="60x60")
    assert thumbnail.url.startswith(f"{endpoint}/{BUCKET}/")
    assert requests.get(thumbnail.url, timeout=30).status_code == 200
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200
    assert f"{endpoint}/{BUCKET}/" in page.content.decode()


def test_wagtail_rendition_is_created_on_s3(s3_media, s3_server):
    from wagtail.images.models import Image

    image = Image.objects.create(
        title="Vườn điều", file=ImageFile(io.BytesIO(_image_bytes("PNG", (200, 150))), name="vuon-dieu.png")
    )
    assert _stored(s3_media, image.file.name)[:4] == b"\x89PNG"

    rendition = image.get_rendition("fill-80x60|format-webp")
    body = _stored(s3_media, rendition.file.name)
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    assert (rendition.width, rendition.height) == (80, 60)
    response = requests.get(rendition.url, timeout=30)
    assert response.status_code == 200 and response.content == body


def test_document_is_served_from_s3(s3_media, client):
    from wagtail.documents.models import Document

    content = b"%PDF-1.4\n% chung nhan VietGAP (demo)\n"
    document = Document.objects.create(title="Chứng nhận VietGAP", file=ContentFile(content, name="vietgap.pdf"))
    assert _stored(s3_media, document.file.name) == content

    # Wagtail's document view checks privacy, then redirects to a signed URL on the bucket.
    response = client.get(document.url)
    assert response.status_code == 302
    downloaded = requests.get(response["Location"], timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == content


def test_certificate_document_goes_to_the_bucket(s3_media):
    from catalog.models import Certification

    certificate = Certification(number="DEMO-VG-S3")
    certificate.document.save("vietgap-s3.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    assert certificate.document.name.startswith("chung-nhan/")
    assert _stored(s3_media, certificate.document.name) == b"%PDF-1.4 demo"
