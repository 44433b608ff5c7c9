"""Developer machine / `make run`: SQLite by default, debug on unless switched off."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("SAMPARK_DEBUG", default=True)
