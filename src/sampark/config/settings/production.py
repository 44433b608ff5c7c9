"""Production: PostgreSQL via DATABASE_URL, secret key and hosts required."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SAMPARK_SECRET_KEY")
SESSION_COOKIE_SECURE = env.bool("SAMPARK_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
