"""Settings, read from the environment (see docs/operations.md)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XIANFENG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A public default key lets anyone forge sessions, password-reset links and member cards.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production: put 50+ random characters in SECRET_KEY "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "Development: set DEBUG=1. See docs/operations.md."
        )
    SECRET_KEY = "xianfeng-insecure-development-key-only-with-debug-on"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "treebeard",
    "huey.contrib.djhuey",
    "xianfeng.core",
    "xianfeng.accounts",
    "xianfeng.orgs",
    "xianfeng.members",
    "xianfeng.excel",
    "xianfeng.dues",
    "xianfeng.development",
    "xianfeng.tasks",
    "xianfeng.learning",
    "xianfeng.service",
    "xianfeng.archives",
    "xianfeng.cadres",
    "xianfeng.assessment",
    "xianfeng.grid",
    "xianfeng.transfers",
    "xianfeng.standing",
    "xianfeng.elections",
    "xianfeng.instructors",
    "xianfeng.meetings",
    "xianfeng.resident_requests",
    "xianfeng.points",
    "xianfeng.enterprise",
    "xianfeng.screen",
    "xianfeng.campaigns",
    "xianfeng.demo",
    "xianfeng.notices",
    "xianfeng.venues",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xianfeng.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "xianfeng.urls"
WSGI_APPLICATION = "xianfeng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xianfeng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xianfeng.accounts.context_processors.roles",
                "xianfeng.notices.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'xianfeng.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
# Read replicas (docs/scaling.md): DATABASE_REPLICA_URLS="postgres://…,postgres://…" adds the
# aliases replica1, replica2, … and the router that sends lag-tolerant reads to them.
REPLICA_URLS = [
    u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()
]
for _i, _url in enumerate(REPLICA_URLS, 1):
    DATABASES[f"replica{_i}"] = {
        **dj_database_url.parse(_url, conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0)),
        "TEST": {"MIRROR": "default"},
    }
if REPLICA_URLS:
    DATABASE_ROUTERS = ["xianfeng.core.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "xianfeng.core.db_router.ReplicaMiddleware",
    )
# After a write, the same session reads the primary for this many seconds (replication lag).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["xianfeng.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"max_similarity": 0.5},
    },
    {"NAME": "xianfeng.accounts.validators.ContainsUsernameValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xianfeng.accounts.validators.CharacterClassValidator"},
]
# Key of the audit chain's HMAC (default: SECRET_KEY). Never change it: old rows would no
# longer verify. A database writer without it cannot forge a consistent chain.
XIANFENG_AUDIT_KEY = os.environ.get("XIANFENG_AUDIT_KEY", "")
# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client.
XIANFENG_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("XIANFENG_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# Days an API token is valid after it was issued.
XIANFENG_TOKEN_TTL_DAYS = int(os.environ.get("XIANFENG_TOKEN_TTL_DAYS", "30"))
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and bool(os.environ.get("SECRET_KEY")))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS: HSTS and the redirect are for the production setup behind nginx (docs/operations.md).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if XIANFENG_TRUSTED_PROXIES:
    # gunicorn listens on 127.0.0.1 only, so this header can only come from our proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our static files or inline blocks
# carrying the response's nonce; no inline handlers (static/js/actions.js does their work).
# Styles may stay inline (style="…" is used throughout; they cannot run code).
# XIANFENG_CSP: "enforce" (default), "report-only" or "off".
XIANFENG_CSP = os.environ.get("XIANFENG_CSP", "enforce")
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if XIANFENG_CSP == "report-only":
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
elif XIANFENG_CSP != "off":
    CONTENT_SECURITY_POLICY = _CSP_POLICY

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "xianfeng" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "xianfeng" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "xianfeng.core.uploads.ContentNamedStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Seconds a signed file link (pages hand them out after their scope check) stays valid.
XIANFENG_FILE_LINK_MAX_AGE = int(os.environ.get("XIANFENG_FILE_LINK_MAX_AGE", "3600"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# A point event with an undeclared code or no rule raises instead of being logged (tests set it).
POINTS_STRICT = env_bool("XIANFENG_POINTS_STRICT", False)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "xianfeng",
        "utc": False,  # crontab hours are Beijing time (TIME_ZONE), as docs/operations.md says
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE", DEBUG),  # runserver has no worker
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "xianfeng",
        "utc": False,  # crontab hours are Beijing time (TIME_ZONE), as docs/operations.md says
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", DEBUG),  # runserver has no worker
    }

# List filters (django-filter) start from 全部, not Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")
FILTERS_NULL_CHOICE_LABEL = gettext_lazy("未填写")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xianfeng.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "xianfeng.core.pagination.StablePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "xianfeng.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "先锋 Xianfeng API",
    "DESCRIPTION": "党建引领基层治理平台 REST API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"OrgKindEnum": "xianfeng.orgs.models.OrgKind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "xianfeng.core.api.document_unsupported_media",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


def env_years_table(name, default):
    """{key: years} from "key=years,key=years"; refuses anything but whole years 1–10."""
    table = {}
    for item in os.environ.get(name, default).split(","):
        key, sep, years = item.partition("=")
        if not sep or not key.strip() or not years.strip().isdigit():
            raise RuntimeError(f"{name}: expected key=years, got {item!r}")
        if not 1 <= int(years) <= 10:
            raise RuntimeError(f"{name}: {key.strip()} must be 1–10 years")
        table[key.strip()] = int(years)
    return table


# Organization terms (换届): years per organization kind, and per domain where the domain
# decides (villages and communities); see xianfeng/orgs/rules.py.
XIANFENG_TERM_YEARS = env_years_table(
    "XIANFENG_TERM_YEARS", "committee=5,general_branch=3,branch=3,rural=5,community=5"
)


def env_count(name, default, low, high):
    """A whole number from the environment within low–high; anything else is refused."""
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise RuntimeError(f"{name}: expected a whole number {low}–{high}, got {value!r}")
    return int(value)


# 党籍管理 (xianfeng/standing/rules.py, transfers' 流动党员): 自行脱党 after N months (党章 第九条),
# 停止党籍 after N months out of contact and 除名 N years after it (党员教育管理工作条例 第二十四条),
# a 流动党员's relationship moves after N months settled away (第二十五条); reminders N days ahead.
XIANFENG_LAPSE_MONTHS = env_count("XIANFENG_LAPSE_MONTHS", 6, 1, 24)
XIANFENG_LOST_CONTACT_MONTHS = env_count("XIANFENG_LOST_CONTACT_MONTHS", 6, 1, 24)
XIANFENG_SUSPENSION_YEARS = env_count("XIANFENG_SUSPENSION_YEARS", 2, 1, 10)
XIANFENG_MOBILE_TRANSFER_MONTHS = env_count("XIANFENG_MOBILE_TRANSFER_MONTHS", 6, 1, 24)
XIANFENG_STANDING_REMIND_DAYS = env_count("XIANFENG_STANDING_REMIND_DAYS", 30, 0, 180)
# 走访 (xianfeng/grid/rules.py, local practice): a household on the care list is visited every
# N days; a visit marked 需跟进 is followed up within N days.
XIANFENG_VISIT_EVERY_DAYS = env_count("XIANFENG_VISIT_EVERY_DAYS", 30, 1, 365)
XIANFENG_FOLLOW_UP_DAYS = env_count("XIANFENG_FOLLOW_UP_DAYS", 7, 1, 90)
# 15 分钟生活圈 (docs/modules/venues.md): straight-line metres counted as 15 minutes' walk.
XIANFENG_CIRCLE_METERS = env_count("XIANFENG_CIRCLE_METERS", 1200, 100, 5000)
# The residents' portal SMS codes: minutes a code lives; codes per phone and per client
# address within an hour; seconds between two codes to one phone.
XIANFENG_PORTAL_CODE_MINUTES = env_count("XIANFENG_PORTAL_CODE_MINUTES", 10, 1, 60)
XIANFENG_PORTAL_CODES_PER_PHONE = env_count("XIANFENG_PORTAL_CODES_PER_PHONE", 5, 1, 50)
XIANFENG_PORTAL_CODES_PER_IP = env_count("XIANFENG_PORTAL_CODES_PER_IP", 20, 1, 500)
XIANFENG_PORTAL_CODE_GAP = env_count("XIANFENG_PORTAL_CODE_GAP", 60, 0, 600)
# Files above this many data rows are imported by the background worker.
XIANFENG_IMPORT_SYNC_MAX_ROWS = int(os.environ.get("XIANFENG_IMPORT_SYNC_MAX_ROWS", "2000"))
# Exports of more rows than this run on the worker and are offered for download by a notice
# (a city's roll takes longer to write than a web worker may hold a request); files are kept
# XIANFENG_EXPORT_KEEP_HOURS.
XIANFENG_EXPORT_INLINE_ROWS = int(os.environ.get("XIANFENG_EXPORT_INLINE_ROWS", "20000"))
XIANFENG_EXPORT_KEEP_HOURS = int(os.environ.get("XIANFENG_EXPORT_KEEP_HOURS", "24"))
# Rows every xlsx export reads at once (core.sheets.chunk_size): the queries of an export grow
# with the chunks, never with the rows, and its memory holds one chunk (docs/modules/excel.md).
XIANFENG_EXPORT_CHUNK = env_count("XIANFENG_EXPORT_CHUNK", 2000, 10, 100_000)

# Encryption at rest of 身份证号 and phones (core/crypto.py; docs/operations.md).
# XIANFENG_FIELD_KEY: base64 of 32 random bytes; without it, var/field.key (written by
# `make demo`). XIANFENG_FIELD_KEYS_PREVIOUS: comma-separated older keys (`cipher:key` when
# not aes-gcm), kept until `manage.py rotate_field_key` has re-encrypted every row.
XIANFENG_FIELD_CIPHER = os.environ.get("XIANFENG_FIELD_CIPHER", "aes-gcm")
XIANFENG_FIELD_KEY_FILE = VAR_DIR / "field.key"
XIANFENG_FIELD_KEY = os.environ.get("XIANFENG_FIELD_KEY", "") or (
    XIANFENG_FIELD_KEY_FILE.read_text().strip() if XIANFENG_FIELD_KEY_FILE.exists() else ""
)
XIANFENG_FIELD_KEYS_PREVIOUS = [
    k.strip() for k in os.environ.get("XIANFENG_FIELD_KEYS_PREVIOUS", "").split(",") if k.strip()
]
# Notices (docs/modules/notices.md): which provider serves each delivery channel.
# NOTICE_SMS: aliyun | tencent | log | "" (none); NOTICE_WECHAT: work | mp | log | "";
# NOTICE_EMAIL: 1 to send e-mail through Django's EMAIL_* settings.
_NOTICE_PROVIDERS = {
    "sms": {
        "aliyun": "xianfeng.notices.channels.AliyunSms",
        "tencent": "xianfeng.notices.channels.TencentSms",
        "log": "xianfeng.core.notify.LoggingChannel",
    },
    "wechat": {
        "work": "xianfeng.notices.channels.WeChatWork",
        "mp": "xianfeng.notices.channels.WeChatTemplate",
        "log": "xianfeng.core.notify.LoggingChannel",
    },
}
XIANFENG_NOTICE_CHANNELS = {}
for _channel, _providers in _NOTICE_PROVIDERS.items():
    _choice = os.environ.get(f"NOTICE_{_channel.upper()}", "log" if DEBUG else "").strip()
    if _choice:
        if _choice not in _providers:
            raise RuntimeError(f"NOTICE_{_channel.upper()} must be one of {sorted(_providers)}")
        XIANFENG_NOTICE_CHANNELS[_channel] = _providers[_choice]
if env_bool("NOTICE_EMAIL", False):
    XIANFENG_NOTICE_CHANNELS["email"] = "xianfeng.notices.channels.Email"
XIANFENG_NOTICE_LEASE_SECONDS = int(os.environ.get("NOTICE_LEASE_SECONDS", "300"))
XIANFENG_NOTICE_RETRY_SECONDS = int(os.environ.get("NOTICE_RETRY_SECONDS", "30"))
XIANFENG_NOTICE_MAX_ATTEMPTS = int(os.environ.get("NOTICE_MAX_ATTEMPTS", "8"))
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", "")
TENCENT_SMS_SECRET_ID = os.environ.get("TENCENT_SMS_SECRET_ID", "")
TENCENT_SMS_SECRET_KEY = os.environ.get("TENCENT_SMS_SECRET_KEY", "")
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_APP_ID = os.environ.get("TENCENT_SMS_APP_ID", "")
TENCENT_SMS_SIGN_NAME = os.environ.get("TENCENT_SMS_SIGN_NAME", "")
TENCENT_SMS_TEMPLATE_ID = os.environ.get("TENCENT_SMS_TEMPLATE_ID", "")
WECHAT_CORP_ID = os.environ.get("WECHAT_CORP_ID", "")
WECHAT_SECRET = os.environ.get("WECHAT_SECRET", "")
WECHAT_AGENT_ID = os.environ.get("WECHAT_AGENT_ID", "")
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
WECHAT_TEMPLATE_ID = os.environ.get("WECHAT_TEMPLATE_ID", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# A sheet declaring or holding more data rows than this is refused before any check.
XIANFENG_IMPORT_MAX_ROWS = int(os.environ.get("XIANFENG_IMPORT_MAX_ROWS", "100000"))
# Map tiles for the grid map, a Leaflet URL template ({z}/{x}/{y}); empty: no tiles, the
# community outlines are the background (intranets without a tile server).
XIANFENG_MAP_TILES = os.environ.get("XIANFENG_MAP_TILES", "")
XIANFENG_MAP_ATTRIBUTION = os.environ.get("XIANFENG_MAP_ATTRIBUTION", "")
if XIANFENG_MAP_TILES:
    # The tile server is the one other origin a page may load images from.
    _tiles = urlsplit(XIANFENG_MAP_TILES.replace("{s}", "a"))
    _CSP_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# The request indexes carry INCLUDE columns so PostgreSQL answers "overdue" from the index alone
# (docs/decisions/0004); SQLite builds the same indexes without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
