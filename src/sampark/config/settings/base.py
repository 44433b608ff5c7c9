"""Settings shared by every environment. Every knob is an environment variable (see README)."""

from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/sampark
# The checkout when run from one (editable install), else the working directory: var/ (SQLite,
# static files) and .env live there.
_CHECKOUT = PACKAGE_DIR.parents[1]
BASE_DIR = _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SAMPARK_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("SAMPARK_DEBUG", default=False)
ALLOWED_HOSTS = env.list("SAMPARK_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("SAMPARK_CSRF_TRUSTED_ORIGINS", default=[])

SQLITE_PATH = env("SAMPARK_SQLITE_PATH", default=str(BASE_DIR / "var" / "sampark.sqlite3"))
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # EXCLUSIVE write transactions: concurrent writers queue on the lock instead of failing
    # with "database is locked" on upgrade; WAL (set in core.apps) lets readers run alongside.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "EXCLUSIVE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI files locally (no CDN)
    "js_lib_leaflet",  # Leaflet's JS/CSS (static files only) for the public outage map
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "sampark.core",
    "sampark.network",
    "sampark.accounts",
    "sampark.consumers",
    "sampark.notifications",
    "sampark.outages",
    "sampark.complaints",
    "sampark.public",
    "sampark.callcentre",
    "sampark.channels",
    "sampark.review",
    "sampark.ops",
]

MIDDLEWARE = [
    "sampark.ops.middleware.RequestTimingMiddleware",  # outermost: times the whole answer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sampark.config.urls"
WSGI_APPLICATION = "sampark.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.StaffUser"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Hindi first: consumer-facing text defaults to Hindi; English is the second language.
LANGUAGE_CODE = "hi"
LANGUAGES = [("hi", "हिन्दी"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Uploads (field photos). Served by Django itself only under DEBUG; a proxy serves them otherwise.
MEDIA_URL = "media/"
MEDIA_ROOT = env("SAMPARK_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STATIC_ROOT = env("SAMPARK_STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root

TASKS = {
    "default": {
        "BACKEND": env("SAMPARK_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {"default": env.cache_url("SAMPARK_CACHE_URL", default="locmemcache://")}
# Requests per client address that anonymous API callers may make (register, track).
SAMPARK_PUBLIC_RATE = env("SAMPARK_PUBLIC_RATE", default="30/m")
# Messages one chat user may send before the bot asks them to slow down (nothing is dropped).
SAMPARK_CHAT_RATE = env("SAMPARK_CHAT_RATE", default="20/m")
# Minutes a chat may wait for an agent before the user is told, once, that it is not forgotten.
SAMPARK_HANDOVER_WAIT_MINUTES = env.int("SAMPARK_HANDOVER_WAIT_MINUTES", default=10)
# The chatbot's intent classifier (docs/chatbot-nlu.md): trained from the checked-in data when
# the file is missing or stale; below the threshold the bot offers its menu instead of guessing.
SAMPARK_NLU_MODEL_PATH = env(
    "SAMPARK_NLU_MODEL_PATH", default=str(BASE_DIR / "var" / "nlu" / "model.joblib")
)
SAMPARK_NLU_THRESHOLD = env.float("SAMPARK_NLU_THRESHOLD", default=0.55)

# Messaging. The verified sender name signs every message; DLT ids are registered per template.
SAMPARK_SENDER_NAME = env("SAMPARK_SENDER_NAME", default="UPPCL 1912")
SAMPARK_DLT_ENTITY_ID = env("SAMPARK_DLT_ENTITY_ID", default="")
SAMPARK_DLT_TEMPLATES: dict[str, str] = env.json("SAMPARK_DLT_TEMPLATES", default={})

# Outbox dispatcher (docs/notifications.md has every variable with its meaning).
# Provider per channel: "console" (log only, development) or the real one named beside it.
SAMPARK_SMS_PROVIDER = env("SAMPARK_SMS_PROVIDER", default="console")  # console|http_sms
SAMPARK_WHATSAPP_PROVIDER = env("SAMPARK_WHATSAPP_PROVIDER", default="console")  # |whatsapp_cloud
SAMPARK_EMAIL_PROVIDER = env("SAMPARK_EMAIL_PROVIDER", default="console")  # |smtp_email
SAMPARK_TELEGRAM_PROVIDER = env("SAMPARK_TELEGRAM_PROVIDER", default="console")  # |telegram
# Messages per second per provider, shared by every worker; 0 lifts the limit.
SAMPARK_PROVIDER_RATES: dict[str, int] = {
    "console": 0,
    "http_sms": 100,
    "whatsapp_cloud": 80,  # Cloud API's default business-number throughput
    "smtp_email": 10,
    "telegram": 30,  # Bot API: about 30 messages per second overall
    **env.json("SAMPARK_PROVIDER_RATES", default={}),
}
SAMPARK_DISPATCH_BATCH = env.int("SAMPARK_DISPATCH_BATCH", default=500)
SAMPARK_DISPATCH_CONCURRENCY = env.int("SAMPARK_DISPATCH_CONCURRENCY", default=32)
SAMPARK_DISPATCH_MAX_ATTEMPTS = env.int("SAMPARK_DISPATCH_MAX_ATTEMPTS", default=6)
SAMPARK_DISPATCH_BACKOFF_BASE = env.float("SAMPARK_DISPATCH_BACKOFF_BASE", default=30.0)
SAMPARK_DISPATCH_BACKOFF_CAP = env.float("SAMPARK_DISPATCH_BACKOFF_CAP", default=3600.0)
# A row claimed longer ago than this (its worker died) goes back to the queue.
SAMPARK_DISPATCH_LEASE = env.float("SAMPARK_DISPATCH_LEASE", default=300.0)
# One dispatch task keeps claiming batches for at most this long, then leaves the rest to the
# next run. The scheduler enqueues one every 2 s: keep this below that, so runs never pile up in
# the task queue and other jobs wait at most one run.
SAMPARK_DISPATCH_BUDGET = env.float("SAMPARK_DISPATCH_BUDGET", default=1.5)
SAMPARK_PROVIDER_TIMEOUT = env.float("SAMPARK_PROVIDER_TIMEOUT", default=10.0)
# Local (TIME_ZONE) window in which non-urgent messages wait; empty: no quiet hours.
SAMPARK_QUIET_HOURS = env("SAMPARK_QUIET_HOURS", default="21:00-07:00")

# Generic HTTP SMS gateway (MSG91, Exotel, Gupshup and the like).
SAMPARK_HTTP_SMS_URL = env("SAMPARK_HTTP_SMS_URL", default="")
SAMPARK_HTTP_SMS_METHOD = env("SAMPARK_HTTP_SMS_METHOD", default="POST")  # GET|POST
SAMPARK_HTTP_SMS_ENCODING = env("SAMPARK_HTTP_SMS_ENCODING", default="form")  # form|json|query
SAMPARK_HTTP_SMS_AUTH_HEADER = env("SAMPARK_HTTP_SMS_AUTH_HEADER", default="Authorization")
SAMPARK_HTTP_SMS_AUTH_VALUE = env("SAMPARK_HTTP_SMS_AUTH_VALUE", default="")
SAMPARK_HTTP_SMS_SENDER = env("SAMPARK_HTTP_SMS_SENDER", default="UPPCLS")
# Our field -> the gateway's parameter name; an empty name leaves the field out.
SAMPARK_HTTP_SMS_FIELDS: dict[str, str] = {
    "to": "to",
    "text": "text",
    "sender": "sender",
    "entity_id": "entity_id",
    "template_id": "template_id",
    "unicode": "unicode",
    **env.json("SAMPARK_HTTP_SMS_FIELDS", default={}),
}
SAMPARK_HTTP_SMS_EXTRA: dict[str, str] = env.json("SAMPARK_HTTP_SMS_EXTRA", default={})
SAMPARK_HTTP_SMS_UNICODE_ON = env("SAMPARK_HTTP_SMS_UNICODE_ON", default="1")
SAMPARK_HTTP_SMS_UNICODE_OFF = env("SAMPARK_HTTP_SMS_UNICODE_OFF", default="0")
SAMPARK_HTTP_SMS_NUMBER_FORMAT = env("SAMPARK_HTTP_SMS_NUMBER_FORMAT", default="digits")
# Success rule: a JSON answer whose SUCCESS_PATH equals SUCCESS_VALUE (any 2xx JSON answer when
# the path is empty) carrying an id at ID_PATH; or, for text answers, SUCCESS_REGEX with an
# (?P<id>...) group.
SAMPARK_HTTP_SMS_RESPONSE = env("SAMPARK_HTTP_SMS_RESPONSE", default="json")  # json|text
SAMPARK_HTTP_SMS_SUCCESS_PATH = env("SAMPARK_HTTP_SMS_SUCCESS_PATH", default="status")
SAMPARK_HTTP_SMS_SUCCESS_VALUE = env("SAMPARK_HTTP_SMS_SUCCESS_VALUE", default="success")
SAMPARK_HTTP_SMS_ID_PATH = env("SAMPARK_HTTP_SMS_ID_PATH", default="message_id")
SAMPARK_HTTP_SMS_SUCCESS_REGEX = env(
    "SAMPARK_HTTP_SMS_SUCCESS_REGEX", default=r"^\s*success\b.*?(?P<id>[\w.-]+)\s*$"
)
# Delivery reports: /webhooks/sms/<SECRET>/dlr (no secret: the endpoint answers 404).
SAMPARK_SMS_DLR_SECRET = env("SAMPARK_SMS_DLR_SECRET", default="")
SAMPARK_SMS_DLR_ID_FIELD = env("SAMPARK_SMS_DLR_ID_FIELD", default="message_id")
SAMPARK_SMS_DLR_STATUS_FIELD = env("SAMPARK_SMS_DLR_STATUS_FIELD", default="status")
SAMPARK_SMS_DLR_DELIVERED = env.list(
    "SAMPARK_SMS_DLR_DELIVERED", default=["delivered", "delivrd", "success", "1"]
)
SAMPARK_SMS_DLR_FAILED = env.list(
    "SAMPARK_SMS_DLR_FAILED",
    default=["failed", "undeliv", "undelivered", "rejectd", "rejected", "expired", "2", "16"],
)
# Messages to our number (MO): /webhooks/sms/<SECRET>/inbound; empty: the DLR secret is used.
SAMPARK_SMS_INBOUND_SECRET = env("SAMPARK_SMS_INBOUND_SECRET", default="")
SAMPARK_SMS_INBOUND_FROM_FIELD = env("SAMPARK_SMS_INBOUND_FROM_FIELD", default="from")
SAMPARK_SMS_INBOUND_TEXT_FIELD = env("SAMPARK_SMS_INBOUND_TEXT_FIELD", default="text")
SAMPARK_SMS_INBOUND_ID_FIELD = env("SAMPARK_SMS_INBOUND_ID_FIELD", default="id")

# WhatsApp Cloud API (template messages) and its webhook.
SAMPARK_WHATSAPP_API_BASE = env(
    "SAMPARK_WHATSAPP_API_BASE", default="https://graph.facebook.com/v19.0"
)
SAMPARK_WHATSAPP_PHONE_NUMBER_ID = env("SAMPARK_WHATSAPP_PHONE_NUMBER_ID", default="")
SAMPARK_WHATSAPP_TOKEN = env("SAMPARK_WHATSAPP_TOKEN", default="")
SAMPARK_WHATSAPP_APP_SECRET = env("SAMPARK_WHATSAPP_APP_SECRET", default="")
SAMPARK_WHATSAPP_VERIFY_TOKEN = env("SAMPARK_WHATSAPP_VERIFY_TOKEN", default="")
# Sampark template key -> approved WhatsApp template name (default: the key itself).
SAMPARK_WHATSAPP_TEMPLATES: dict[str, str] = env.json("SAMPARK_WHATSAPP_TEMPLATES", default={})
SAMPARK_WHATSAPP_LANGUAGES: dict[str, str] = {
    "hi": "hi",
    "en": "en",
    **env.json("SAMPARK_WHATSAPP_LANGUAGES", default={}),
}
SAMPARK_WHATSAPP_PARAMETERS = env("SAMPARK_WHATSAPP_PARAMETERS", default="positional")  # |named

# SMTP e-mail.
SAMPARK_SMTP_HOST = env("SAMPARK_SMTP_HOST", default="127.0.0.1")
SAMPARK_SMTP_PORT = env.int("SAMPARK_SMTP_PORT", default=25)
SAMPARK_SMTP_STARTTLS = env.bool("SAMPARK_SMTP_STARTTLS", default=False)
SAMPARK_SMTP_CA_FILE = env("SAMPARK_SMTP_CA_FILE", default="")  # trust this CA (private relay)
SAMPARK_SMTP_USER = env("SAMPARK_SMTP_USER", default="")
SAMPARK_SMTP_PASSWORD = env("SAMPARK_SMTP_PASSWORD", default="")
SAMPARK_SMTP_FROM = env("SAMPARK_SMTP_FROM", default="UPPCL 1912 <noreply@localhost>")

# Inbound e-mail (docs/email.md): the IMAP mailbox polled every minute (nothing polled while
# SAMPARK_IMAP_HOST is empty) and the inbound-mail webhook's shared secret (empty: webhook off).
SAMPARK_IMAP_HOST = env("SAMPARK_IMAP_HOST", default="")
SAMPARK_IMAP_SSL = env("SAMPARK_IMAP_SSL", default="ssl")  # ssl (IMAPS) | starttls | none
SAMPARK_IMAP_PORT = env.int("SAMPARK_IMAP_PORT", default=0)  # 0: 993 with ssl, else 143
SAMPARK_IMAP_USER = env("SAMPARK_IMAP_USER", default="")
SAMPARK_IMAP_PASSWORD = env("SAMPARK_IMAP_PASSWORD", default="")
SAMPARK_IMAP_FOLDER = env("SAMPARK_IMAP_FOLDER", default="INBOX")
SAMPARK_IMAP_PROCESSED_FOLDER = env("SAMPARK_IMAP_PROCESSED_FOLDER", default="")  # "": mark seen
SAMPARK_IMAP_CA_FILE = env("SAMPARK_IMAP_CA_FILE", default="")  # trust this CA (private server)
SAMPARK_IMAP_BATCH = env.int("SAMPARK_IMAP_BATCH", default=50)  # mails read per poll
SAMPARK_EMAIL_WEBHOOK_SECRET = env("SAMPARK_EMAIL_WEBHOOK_SECRET", default="")

# Telegram Bot API.
SAMPARK_TELEGRAM_API_BASE = env("SAMPARK_TELEGRAM_API_BASE", default="https://api.telegram.org")
SAMPARK_TELEGRAM_BOT_TOKEN = env("SAMPARK_TELEGRAM_BOT_TOKEN", default="")
# Telegram sends this in X-Telegram-Bot-Api-Secret-Token (setWebhook secret_token); empty: 403.
SAMPARK_TELEGRAM_WEBHOOK_SECRET = env("SAMPARK_TELEGRAM_WEBHOOK_SECRET", default="")

# Outages: planned work must be announced this long ahead (unless marked an emergency), and
# consumers are reminded this long before it starts.
SAMPARK_PLANNED_NOTICE_HOURS = env.int("SAMPARK_PLANNED_NOTICE_HOURS", default=24)
SAMPARK_PLANNED_REMINDER_MINUTES = env.int("SAMPARK_PLANNED_REMINDER_MINUTES", default=60)
# Hours a consumer has to confirm a resolution before it is closed as unconfirmed.
SAMPARK_CONFIRMATION_HOURS = env.int("SAMPARK_CONFIRMATION_HOURS", default=24)
# Where staff reach this server: links in SMS (the JE's new-complaint link) are absolute.
SAMPARK_PUBLIC_URL = env("SAMPARK_PUBLIC_URL", default="http://127.0.0.1:8000")
# Tell the consumer the assigned engineer's name and phone (some utilities do not allow it).
SAMPARK_SHOW_OFFICER_CONTACT = env.bool("SAMPARK_SHOW_OFFICER_CONTACT", default=True)

# Zone stakeholder groups (docs/stakeholders.md).
# Bulletins one member may be sent an hour; the rest wait for the next daily digest.
SAMPARK_STAKEHOLDER_HOURLY_CAP = env.int("SAMPARK_STAKEHOLDER_HOURLY_CAP", default=20)
# Local hour (TIME_ZONE) from which the daily digests go out.
SAMPARK_STAKEHOLDER_DIGEST_HOUR = env.int("SAMPARK_STAKEHOLDER_DIGEST_HOUR", default=20)
# Channel of the zone's JE/SDO/XEN, who are members without subscribing: sms or whatsapp.
SAMPARK_STAKEHOLDER_STAFF_CHANNEL = env("SAMPARK_STAKEHOLDER_STAFF_CHANNEL", default="sms")
# Outage events older than this many minutes when first read get no bulletin (a worker that was
# down for hours does not flood the groups with stale news).
SAMPARK_STAKEHOLDER_BULLETIN_MAX_AGE = env.int("SAMPARK_STAKEHOLDER_BULLETIN_MAX_AGE", default=180)
# Join OTPs one mobile may be sent an hour, and join requests one client address may make.
SAMPARK_STAKEHOLDER_OTP_PER_HOUR = env.int("SAMPARK_STAKEHOLDER_OTP_PER_HOUR", default=3)
SAMPARK_STAKEHOLDER_JOIN_RATE = env("SAMPARK_STAKEHOLDER_JOIN_RATE", default="10/h")

# Public outage page and feeds at /outages/ (docs/public-outages.md).
# Seconds a rendered page or feed is served from the cache (and Cache-Control max-age); 0: off.
SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS = env.int("SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS", default=20)
# "Is my supply off?" look-ups by account number one client address may make.
SAMPARK_PUBLIC_SUPPLY_RATE = env("SAMPARK_PUBLIC_SUPPLY_RATE", default="10/m")
# Map tiles (Leaflet URL template) and their attribution; an empty URL draws no tiles (offline).
SAMPARK_MAP_TILE_URL = env(
    "SAMPARK_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
SAMPARK_MAP_TILE_ATTRIBUTION = env(
    "SAMPARK_MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Local hour (TIME_ZONE) from which each discom's daily press bulletin is issued.
SAMPARK_PRESS_BULLETIN_HOUR = env.int("SAMPARK_PRESS_BULLETIN_HOUR", default=7)

# The daily review pack (docs/review-pack.md): PDF + XLSX per discom, from this local hour.
SAMPARK_REVIEW_PACK_HOUR = env.int("SAMPARK_REVIEW_PACK_HOUR", default=7)
# Which language comes first on every page (both are always there): "hi" or "en".
SAMPARK_REVIEW_PACK_LANGUAGE = env("SAMPARK_REVIEW_PACK_LANGUAGE", default="hi")
# Officers of the discom with these roles (and an e-mail) get the pack and may download it;
# the extra addresses get every discom's pack.
SAMPARK_REVIEW_PACK_ROLES = env.list("SAMPARK_REVIEW_PACK_ROLES", default=["md", "ce"])
SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS = env.list("SAMPARK_REVIEW_PACK_EXTRA_RECIPIENTS", default=[])
# Noto Sans and Noto Sans Devanagari (Debian's fonts-noto-core, `make fonts`).
SAMPARK_PDF_FONT_DIR = env("SAMPARK_PDF_FONT_DIR", default="/usr/share/fonts/truetype/noto")
# Archived packs (<discom>/<day>/...): NOT under MEDIA_ROOT, which the proxy serves to anyone;
# they are served only through the permission-checked download view.
SAMPARK_REVIEW_PACK_ROOT = env(
    "SAMPARK_REVIEW_PACK_ROOT", default=str(BASE_DIR / "var" / "review-packs")
)

# The 1912 call centre (docs/callcentre.md).
# An unserved call (abandoned, dropped) is called back within this many minutes; after this many
# tries without reaching the caller the callback closes as "no answer"; tries are this far apart.
SAMPARK_CALLBACK_DUE_MINUTES = env.int("SAMPARK_CALLBACK_DUE_MINUTES", default=15)
SAMPARK_CALLBACK_MAX_TRIES = env.int("SAMPARK_CALLBACK_MAX_TRIES", default=3)
SAMPARK_CALLBACK_RETRY_MINUTES = env.int("SAMPARK_CALLBACK_RETRY_MINUTES", default=30)
# Calls that ended longer ago than this (an old CDR file imported today) get no callback.
SAMPARK_CALLBACK_MAX_AGE_HOURS = env.int("SAMPARK_CALLBACK_MAX_AGE_HOURS", default=24)
# Service level: share of calls answered within this many seconds of joining the queue.
SAMPARK_SERVICE_LEVEL_SECONDS = env.int("SAMPARK_SERVICE_LEVEL_SECONDS", default=20)
# Calls still "in progress" this long after they began lost their last event: closed as dropped.
SAMPARK_CALL_STALE_HOURS = env.int("SAMPARK_CALL_STALE_HOURS", default=4)

# Call-centre staffing (docs/staffing.md). Target "service level/answer seconds".
SAMPARK_STAFFING_TARGET = env("SAMPARK_STAFFING_TARGET", default="0.8/20")
SAMPARK_STAFFING_MAX_OCCUPANCY = env.float("SAMPARK_STAFFING_MAX_OCCUPANCY", default=None)
SAMPARK_STAFFING_HISTORY_WEEKS = env.int("SAMPARK_STAFFING_HISTORY_WEEKS", default=4)
# Used when the history has too few answered / abandoned calls to measure them.
SAMPARK_STAFFING_AHT_SECONDS = env.float("SAMPARK_STAFFING_AHT_SECONDS", default=240.0)
SAMPARK_STAFFING_PATIENCE_SECONDS = env.float("SAMPARK_STAFFING_PATIENCE_SECONDS", default=120.0)
SAMPARK_STAFFING_WRAP_UP_SECONDS = env.float("SAMPARK_STAFFING_WRAP_UP_SECONDS", default=0.0)
# Outage surge: calls to 1912 per consumer newly cut off, spread over the hours after the start.
SAMPARK_CALLS_PER_AFFECTED_CONSUMER = env.float("SAMPARK_CALLS_PER_AFFECTED_CONSUMER", default=0.03)
SAMPARK_OUTAGE_CALL_PROFILE = env.list(
    "SAMPARK_OUTAGE_CALL_PROFILE", cast=float, default=[0.6, 0.3, 0.1]
)

# The 1912 IVR (docs/ivr.md): one telephony provider per deployment: twilio, plivo or exotel.
SAMPARK_IVR_PROVIDER = env("SAMPARK_IVR_PROVIDER", default="exotel")
# The address the provider calls us at (signatures cover it); default: SAMPARK_PUBLIC_URL.
SAMPARK_IVR_PUBLIC_URL = env("SAMPARK_IVR_PUBLIC_URL", default=SAMPARK_PUBLIC_URL)
# Webhook secrets; empty: that provider's webhooks answer 403.
SAMPARK_TWILIO_AUTH_TOKEN = env("SAMPARK_TWILIO_AUTH_TOKEN", default="")
SAMPARK_PLIVO_AUTH_TOKEN = env("SAMPARK_PLIVO_AUTH_TOKEN", default="")
SAMPARK_EXOTEL_URL_TOKEN = env("SAMPARK_EXOTEL_URL_TOKEN", default="")
# A caller facing a longer expected wait is offered a callback that keeps their place.
SAMPARK_IVR_CALLBACK_OFFER_SECONDS = env.int("SAMPARK_IVR_CALLBACK_OFFER_SECONDS", default=120)
# Agent queues (emergency, general, english): Twilio <Enqueue> names, and the numbers Plivo
# dials / Exotel connects for each (missing queues fall back to "general").
SAMPARK_IVR_QUEUE_NAMES: dict[str, str] = {
    "emergency": "1912-emergency",
    "general": "1912-general",
    "english": "1912-english",
    **env.json("SAMPARK_IVR_QUEUE_NAMES", default={}),
}
SAMPARK_IVR_AGENT_NUMBERS: dict[str, str] = env.json("SAMPARK_IVR_AGENT_NUMBERS", default={})
# Caller id shown to agents on Plivo <Dial> / Exotel Connect (the 1912 number); empty: the caller.
SAMPARK_IVR_CALLER_ID = env("SAMPARK_IVR_CALLER_ID", default="")
# Twilio text-to-speech voice (Polly.Aditi speaks hi-IN and en-IN).
SAMPARK_TWILIO_VOICE = env("SAMPARK_TWILIO_VOICE", default="Polly.Aditi")

# Mobile OTPs and mobile registration (docs/mobile-registration.md, docs/web-complaints.md).
SAMPARK_OTP_VALID_MINUTES = env.int("SAMPARK_OTP_VALID_MINUTES", default=10)
SAMPARK_OTP_MAX_ATTEMPTS = env.int("SAMPARK_OTP_MAX_ATTEMPTS", default=3)
SAMPARK_OTP_RESEND_SECONDS = env.int("SAMPARK_OTP_RESEND_SECONDS", default=60)
SAMPARK_OTP_PER_MOBILE_HOUR = env.int("SAMPARK_OTP_PER_MOBILE_HOUR", default=5)  # codes sent
SAMPARK_WEB_OTP_RATE = env("SAMPARK_WEB_OTP_RATE", default="20/h")  # OTP requests per address
SAMPARK_WEB_TRACK_RATE = env("SAMPARK_WEB_TRACK_RATE", default="30/h")  # look-ups per address
SAMPARK_MOBILE_ACCOUNT_RATE = env("SAMPARK_MOBILE_ACCOUNT_RATE", default="5/d")  # per account
SAMPARK_MOBILE_MAX_ACCOUNTS = env.int("SAMPARK_MOBILE_MAX_ACCOUNTS", default=5)  # per mobile
# Missed calls to the registration number: /webhooks/missed-call/<SECRET> (empty: 404).
SAMPARK_MISSED_CALL_SECRET = env("SAMPARK_MISSED_CALL_SECRET", default="")
SAMPARK_MISSED_CALL_FROM_FIELD = env("SAMPARK_MISSED_CALL_FROM_FIELD", default="from")

# Where the real third-party reference data lives (demo generator, tests, benchmarks).
SAMPARK_SHARED_DATA = Path(
    env("SAMPARK_SHARED_DATA", default=str(BASE_DIR.parent / "shared" / "data"))
)
# Country used to parse national mobile numbers ("9839012345" -> +919839012345).
SAMPARK_PHONE_REGION = env("SAMPARK_PHONE_REGION", default="IN")

# SAMPARK_LOG_FORMAT=json: one JSON object per line (request lines carry request_id, method,
# path, status, duration_ms) for a log shipper; "plain" for a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "sampark.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("SAMPARK_LOG_FORMAT", default="plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env("SAMPARK_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Operations: /metrics for Prometheus (a bearer token, or else only these networks), /healthz
# failing when no worker has run the heartbeat task for this many seconds.
SAMPARK_METRICS_TOKEN = env("SAMPARK_METRICS_TOKEN", default="")
SAMPARK_METRICS_ALLOWED_NETWORKS = env.list(
    "SAMPARK_METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"]
)
SAMPARK_HEALTH_WORKER_MAX_AGE = env.int("SAMPARK_HEALTH_WORKER_MAX_AGE", default=60)
