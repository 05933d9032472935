"""Settings shared by every environment.

Everything that differs between a laptop, CI and production comes from the environment
(see `.env.example`); this module only holds what is true everywhere.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403

from shop.order import statuses as order_statuses
from shop.staff.lockout import lockout_parameters

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_ID = 1
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the dev server read while seed_demo or a test writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

# CACHES AND SESSIONS
# ------------------------------------------------------------------------------
# With REDIS_URL the app servers keep no state of their own: cache and sessions live in Redis,
# so any server can answer any request. Without it everything stays in the process (dev, demo).
REDIS_URL = env("REDIS_URL", default="")
# Sessions get their own alias (and may get their own Redis database): clearing a cache must
# never log customers out. Redis' cache.clear() flushes the whole database it points at.
SESSION_REDIS_URL = env("SESSION_REDIS_URL", default="") or REDIS_URL
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="")
# Per process: the product page's fragments that are the same for every visitor (gallery, trace
# badges, JSON-LD...; templates/oscar/catalogue/detail.html). Their keys carry the page cache's
# version, read from the shared cache on every request, so a purge reaches every server at once;
# keeping them in the process saves a network round trip each.
FRAGMENT_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 3000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SESSION_REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
        # Per process, for sorl-thumbnail's lookups (see THUMBNAIL_CACHE).
        "thumbnails": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "thumbnails"},
        "fragments": FRAGMENT_CACHE,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "thumbnails": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "thumbnails"},
        "fragments": FRAGMENT_CACHE,
    }
# Rate-limit counters must be shared by every app server, so they count in the default cache
# (Redis in production): guest order tracking does; so must any limiter added later
# (django-ratelimit reads this setting).
RATELIMIT_USE_CACHE = "default"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]
OSCAR_APPS = [
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "shop.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",  # forked: app label stays "catalogue"
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",  # forked: whole-đồng prices, guarded allocation
    "oscar.apps.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",  # forked so its orders sub-app can be (Oscar loads classes by the parent)
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",  # forked: each cooperative acts on its own lines
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",  # forked: a product is its cooperative's; variants; CSV
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
]
WAGTAIL_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users with our user viewset: cooperative and role in the user form (shop.staff).
    "shop.staff.apps.StaffUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # Translation workflow (Vietnamese source, English synced); replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail",
    "modelcluster",
    "taggit",
]
THIRD_PARTY_APPS = [
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Task framework and its database queue, installed everywhere so the queue table exists
    # whichever TASKS_BACKEND a machine picks (see TASKS below).
    "django_tasks",
    "django_tasks_db",
    "django_http_compression",
    # Staff login protection and audit (shop.staff): failed-login limits, TOTP with recovery
    # codes, field-level change history.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
]
LOCAL_APPS = [
    "shop.apps.ShopConfig",
    "cms.apps.CmsConfig",
    "shop.staff.apps.StaffConfig",
    "shop.fairs.apps.FairsConfig",  # trade fairs as a sales channel: attribution and the fair report
]
# Local apps first so their templates, translations and commands win over the libraries'.
INSTALLED_APPS = LOCAL_APPS + DJANGO_APPS + WAGTAIL_APPS + OSCAR_APPS + THIRD_PARTY_APPS

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages that are the same bytes for every cookie-less visitor, served finished (compressed, with
    # their headers) before any middleware below runs: about as fast as a static file (cms.cache).
    "cms.cache.FinishedPageCacheMiddleware",
    # Dynamic responses compressed with zstd, brotli or gzip (gzip with Django's BREACH mitigation);
    # static files come pre-compressed from whitenoise above.
    "django_http_compression.middleware.HttpCompressionMiddleware",
    # ETag on every response that may be stored, and 304 when it still matches.
    "django.middleware.http.ConditionalGetMiddleware",
    # Cache-Control on every GET that has none: public for cookie-less visitors, private otherwise (cms.http).
    "cms.http.CachingHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Embed routes may be framed, nothing else: exempts them from the line above and adds the
    # matching CSP frame-ancestors everywhere (cms.framing).
    "cms.framing.FramingMiddleware",
    # Counts arrivals with a fair's code and remembers the first fair (signed cookie, then the
    # basket); outside the page cache so cached pages are counted too and stay cookie-free.
    "shop.fairs.attribution.FairAttributionMiddleware",
    # Serves cached pages to cookie-less visitors; invalidated on publish and price/stock changes.
    "cms.cache.AnonymousPageCacheMiddleware",
    # Below the page cache: a cookie-less visitor is never signed in, so a cached page needs none of
    # these (the audit log's per-request context alone cost 40% of a cache hit).
    # request.user.is_verified(); then staff pages wait for the second factor (shop.staff).
    "django_otp.middleware.OTPMiddleware",
    "shop.staff.middleware.StaffTwoFactorMiddleware",
    # Who changed what: the audit log's actor is the request's user.
    "shop.staff.middleware.AuditActorMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    }
]

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses to check any password while the login is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/"

# STAFF ACCOUNTS AND SECURITY (shop.staff)
# ------------------------------------------------------------------------------
# Failed logins (every login form: /admin/login/, /shop/accounts/login/, the checkout's sign-in,
# /shop/dashboard/login/, /django-admin/) are counted by django-axes in the database, so every
# app server sees the same counts and clearing Redis unlocks nobody.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# What is locked: "username+ip_address" (default) locks one account from one address, so a bot
# cannot lock a clerk out from elsewhere; "ip_address,username+ip_address" also locks an address
# that tries many accounts. Parsed by shop.staff.lockout.
AXES_LOCKOUT_PARAMETERS = lockout_parameters(env("LOGIN_LOCKOUT_BY", default="username+ip_address"))
# The visitor's address as the order-tracking limit sees it (the one our proxy appended).
AXES_CLIENT_IP_CALLABLE = "shop.order.tracking.client_address"
AXES_LOCKOUT_CALLABLE = "shop.staff.lockout.lockout_response"
# An account is counted once whether its email or its username was typed.
AXES_USERNAME_CALLABLE = "shop.staff.lockout.username_for_counting"
# A blocked try does not push the unlock time back, so the time the page names holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Successful logins are not written down (a row per login, forever); failures are.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Two-factor authentication (django-otp, TOTP + recovery codes). Required for every staff
# account when on; optional (each user turns it on in their account settings) when off.
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="") or "HTX Cashew Shop"
# Wrong codes wait 1, 2, 4, 8, ... seconds before the next try (per device, in the database).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Django's admin lists devices without their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Audit (django-auditlog): the registered models are in shop.staff.audit.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
AUDITLOG_STORE_JSON_CHANGES = True

# INTERNATIONALISATION
# ------------------------------------------------------------------------------
# Vietnamese is the default and has no URL prefix; English lives under /en/.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Our strings first; then our Vietnamese for the Oscar strings Oscar's own catalogue leaves empty,
# then for the Wagtail and wagtail-localize admin strings theirs leave empty (cms/wagtail_locale).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "shop" / "oscar_locale", BASE_DIR / "cms" / "wagtail_locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "shop" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Media (product images, certificate documents, Wagtail images, renditions and documents) go
# through the default storage: an S3-compatible bucket when one is named, so every app server
# sees the same files; local files under MEDIA_ROOT otherwise.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        # Empty values fall back to boto3's own (AWS endpoints, instance credentials).
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
        "location": env("AWS_LOCATION", default=""),
        # Two uploads named cashew.jpg get two objects, as with local files.
        "file_overwrite": False,
    }
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {name: value for name, value in _s3_options.items() if value is not None},
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cửa hàng HTX <shop@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# TASKS
# ------------------------------------------------------------------------------
# Background work (emails, search index, payment reconciliation, Wagtail's own reference-index
# and search updates) goes through Django's task framework, django-tasks backport; see shop/tasks.py.
# "immediate" runs each task in the process that enqueues it (dev, tests, `make run`);
# "database" queues it for `python manage.py db_worker` (production's default).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env("TASKS_BACKEND", default="") or "immediate"
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# WAGTAIL
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Hạt điều HTX Đồng Nai"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "jpeg": "webp", "png": "webp"}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's login form with a translated label on the password field (shop.staff.forms).
WAGTAILADMIN_USER_LOGIN_FORM = "shop.staff.forms.LoginForm"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Staff pages load nothing from third parties: no Gravatar (it would get a hash of every staff email
# and fail offline), no release check from the browser (upgrades come through the pinned requirements).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# OSCAR
# ------------------------------------------------------------------------------
OSCAR_SHOP_NAME = _("Hạt điều HTX Đồng Nai")
OSCAR_SHOP_TAGLINE = _("Hạt điều OCOP từ hai hợp tác xã")
OSCAR_HOMEPAGE = "/"
# The Oscar dashboard links back to the staff's home, the Wagtail admin (which links here).
OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION + [  # noqa: F405
    {
        "label": _("Trang quản trị HTX"),
        "icon": "fas fa-home",
        "url_name": "wagtailadmin_home",
        "access_fn": lambda user, *args, **kwargs: user.has_perm("wagtailadmin.access_admin"),
    },
]
OSCAR_DEFAULT_CURRENCY = "VND"
# Đồng has no minor unit; Babel's CLDR data already formats it without decimals in each
# locale ("250.000 ₫" in vi, "₫250,000" in en), so no OSCAR_CURRENCY_FORMAT override.
OSCAR_OFFER_ROUNDING_FUNCTION = "shop.money.round_dong"
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4")
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Order and line statuses (stored in Vietnamese, shown translated): shop/order/statuses.py.
OSCAR_INITIAL_ORDER_STATUS = order_statuses.PLACED
OSCAR_INITIAL_LINE_STATUS = order_statuses.PLACED
OSCAR_ORDER_STATUS_PIPELINE = order_statuses.ORDER_PIPELINE
OSCAR_LINE_STATUS_PIPELINE = order_statuses.LINE_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = order_statuses.ORDER_CASCADE
# Phone numbers typed without +84 are Vietnamese; they are stored in E.164.
PHONENUMBER_DEFAULT_REGION = "VN"
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
# The simple engine keeps no index, so there is nothing to update on save.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
# Which thumbnail file a product image has at a size never changes, and a listing asks for 48 of
# them: each app server remembers them in its own memory (no Redis round trip per card). The
# database table stays the shared record; a deleted image's thumbnails may be remembered elsewhere
# for THUMBNAIL_CACHE_TIMEOUT seconds at most.
THUMBNAIL_CACHE = "thumbnails"
THUMBNAIL_CACHE_TIMEOUT = 300

# SEARCH
# ------------------------------------------------------------------------------
# Empty: the embedded search (plain SQL over folded text, cms.search). A URL such as
# https://user:pass@search.internal:9200 sends queries to that OpenSearch/Elasticsearch cluster
# (cms.search_cluster); run `manage.py rebuild_search` once to build its index.
SEARCH_URL = env("SEARCH_URL", default="") or env("OPENSEARCH_URL", default="")
SEARCH_INDEX = env("SEARCH_INDEX", default="") or (
    f"{CACHE_KEY_PREFIX}-htx-search" if CACHE_KEY_PREFIX else "htx-search"
)
SEARCH_TIMEOUT = env.int("SEARCH_TIMEOUT", default=5)

# IMAGES
# ------------------------------------------------------------------------------
# Make the renditions and thumbnails the public pages use as soon as an image is saved, in a task
# (cms.renditions), so the first visitor does not wait for them.
PREGENERATE_RENDITIONS = env.bool("PREGENERATE_RENDITIONS", default=True)

# PAGES
# ------------------------------------------------------------------------------
# Whole-page cache for cookie-less visitors (cms.cache), dropped on publish and price/stock changes.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Seconds each app server process trusts its own copy of recent pages and of the purge version
# (no round trip to Redis for a popular page); another server's purge shows within this time.
PAGE_CACHE_LOCAL_SECONDS = env.float("PAGE_CACHE_LOCAL_SECONDS", default=2.0)
# The header menu and the footer, cached per language under the same version (cms_tags._chrome_cached).
SITE_CHROME_CACHE = env.bool("SITE_CHROME_CACHE", default=True)
# How long browsers and shared caches may keep a page for cookie-less visitors (cms.http).
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=60)

# SHOP
# ------------------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="htx-demo-2026")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Seconds a webhook's signed timestamp may be old (Stripe's default is 300).
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)
# The smallest card charge offered, in đồng. Stripe refuses charges under the equivalent of its
# minimum in the account's settlement currency (US$0.50, €0.50, CZK 15…: about 9.000–18.000 ₫,
# moving with exchange rates); 20.000 ₫ stays above all of them.
STRIPE_MINIMUM_CHARGE_VND = env.int("STRIPE_MINIMUM_CHARGE_VND", default=20000)
# A card payment left unfinished (3-D Secure abandoned, browser gone) is cancelled and its stock
# released by `reconcile_payments` after this many minutes.
CARD_PAYMENT_TIMEOUT_MINUTES = env.int("CARD_PAYMENT_TIMEOUT_MINUTES", default=30)
# Bank transfer by VietQR. Without BANK_ACCOUNT the account below is a SAMPLE for the demo: pages say
# so, and production (DEMO_DATA_ALLOWED off) does not offer bank transfer until a real one is set.
BANK_ACCOUNT_IS_SAMPLE = not env("BANK_ACCOUNT", default="")
BANK_BIN = env("BANK_BIN", default="") or "970436"  # NAPAS bank BIN (sample: Vietcombank)
BANK_NAME = env("BANK_NAME", default="") or "Vietcombank"
BANK_ACCOUNT = env("BANK_ACCOUNT", default="") or "0011001234567"  # sample number, not a real account
BANK_ACCOUNT_NAME = env("BANK_ACCOUNT_NAME", default="") or "HTX MAU DEMO"
# Unpaid transfers are cancelled and their stock released by `expire_transfers` after this.
BANK_TRANSFER_EXPIRY_HOURS = env.int("BANK_TRANSFER_EXPIRY_HOURS", default=48)
# Delivery within Vietnam (shop/shipping/rates.py): standard delivery is free from this basket
# total in đồng (0 = never); the cooperatives ship from this province code (75 = Đồng Nai);
# a product without a `weight` attribute counts as this many kg.
FREE_SHIPPING_THRESHOLD = env.int("FREE_SHIPPING_THRESHOLD", default=500000)
SHIPPING_ORIGIN_PROVINCE = env("SHIPPING_ORIGIN_PROVINCE", default="75")
SHIPPING_DEFAULT_WEIGHT_KG = env("SHIPPING_DEFAULT_WEIGHT_KG", default="0.5")
# Guest order tracking: lookups allowed per visitor address in 15 minutes.
ORDER_TRACKING_ATTEMPTS = env.int("ORDER_TRACKING_ATTEMPTS", default=10)
# Staff home: a product shows as "running low" when fewer units than this are free (in stock minus
# allocated), unless its stock record sets its own low-stock threshold in the product dashboard.
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=10)

# TRADE FAIRS (shop.fairs)
# ------------------------------------------------------------------------------
# Days a visitor's first arrival through a fair's link, QR code or embed counts for their orders;
# within them a later fair does not take over, after them a new fair can.
FAIR_ATTRIBUTION_DAYS = env.int("FAIR_ATTRIBUTION_DAYS", default=30)

# TRACEABILITY (catalog)
# ------------------------------------------------------------------------------
# Scheme and host printed in QR codes as GS1 Digital Link URIs (https://<host>/01/<gtin>/10/<lot>).
GS1_RESOLVER_BASE = (env("GS1_RESOLVER_BASE", default="") or WAGTAILADMIN_BASE_URL).rstrip("/")
# Map tiles for zone maps, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty = no tiles (list only).
TRACE_MAP_TILE_URL = env("TRACE_MAP_TILE_URL", default="")
TRACE_MAP_TILE_ATTRIBUTION = env("TRACE_MAP_TILE_ATTRIBUTION", default="")

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Oscar logs every product-alert run at INFO; only problems matter here.
        "oscar": {"level": "WARNING"},
        # Wagtail logs every page action and background task at INFO; the audit log keeps them.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts (WARNING) are what matter.
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # The Stripe SDK logs every API request at INFO; shop.payment logs what matters.
        "stripe": {"level": "WARNING"},
    },
}

# seed_demo only runs where this is on (dev and test); production leaves it off.
DEMO_DATA_ALLOWED = False
