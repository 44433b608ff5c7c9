"""`sampark i18n_compile`: compile the gettext catalogs (.po -> .mo) without GNU gettext."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sampark.core.i18n import catalogs_compile


class Command(BaseCommand):
    help = "Compile every .po catalog of Sampark into .mo (pure Python; no msgfmt needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = catalogs_compile()
        self.stdout.write(f"{len(compiled)} catalog(s) compiled")
