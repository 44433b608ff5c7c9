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
    "sampark.ops",
]

MIDDLEWARE = [
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

# Messaging. The verified sender name signs every message; DLT ids are registered per template.
SAMPARK_SENDER_NAME = env("SAMPARK_SENDER_NAME", default="UPPCL 1912")
SAMPARK_DLT_ENTITY_ID = env("SAMPARK_DLT_ENTITY_ID", default="")
SAMPARK_DLT_TEMPLATES: dict[str, str] = env.json("SAMPARK_DLT_TEMPLATES", default={})

# Where the real third-party reference data lives (demo generator, tests, benchmarks).
SAMPARK_SHARED_DATA = Path(
    env("SAMPARK_SHARED_DATA", default=str(BASE_DIR.parent / "shared" / "data"))
)
# Country used to parse national mobile numbers ("9839012345" -> +919839012345).
SAMPARK_PHONE_REGION = env("SAMPARK_PHONE_REGION", default="IN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("SAMPARK_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
