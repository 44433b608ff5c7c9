"""Test runs: same as base, fast password hashing, tasks run in-process at enqueue."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests that need the real queue (worker tests) switch the backend themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SAMPARK_PUBLIC_RATE = "100000/m"  # the throttle's own test lowers it
SAMPARK_TELEGRAM_WEBHOOK_SECRET = "tg-webhook-secret"  # the Telegram webhook tests send it
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env(
    "SAMPARK_SQLITE_PATH", default=None
):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": None}

# Packs the scheduler tests render go to a scratch folder, not the checkout's var/.
SAMPARK_REVIEW_PACK_ROOT = tempfile.mkdtemp(prefix="sampark-test-packs-")
