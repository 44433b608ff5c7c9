"""`sampark serve`: web + task worker + scheduler in the foreground; prints the demo logins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sampark.accounts.demo import DEMO_PASSWORD, demo_staff_ensure
from sampark.accounts.models import StaffUser
from sampark.consumers.models import Consumer
from sampark.ops.supervisor import metrics_dir_prepare, services_default, services_run
from sampark.public.demo import stakeholders_demo_ensure


class Command(BaseCommand):
    help = "Serve the whole system: web, task worker and scheduler. Ctrl-C stops all of them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-demo-logins", action="store_true")

    def handle(self, *args: Any, bind: str, web_workers: int, **options: Any) -> None:
        if not options["no_demo_logins"]:
            self._print_logins()
            self._print_chat_hint(bind)
        self.stdout.write(f"Sampark at http://{bind}/  (API docs: http://{bind}/api/docs)\n")
        metrics_dir_prepare(Path(settings.BASE_DIR) / "var" / "prometheus")
        code = services_run(services_default(bind=bind, web_workers=web_workers), out=self.stdout)
        if code:
            raise CommandError(f"a service failed (exit {code})")

    def _print_logins(self) -> None:
        with translation.override("en"):  # the operator's console, not a consumer's screen
            logins = demo_staff_ensure()
            members = stakeholders_demo_ensure()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for login in logins:
            self.stdout.write(f"  {login.username:<6} {login.role:<24} {login.jurisdiction}\n")
        if members:
            self.stdout.write(f"  + {members} demo stakeholders in the zone group of 'je'\n")
        self.stdout.write("\n")

    def _print_chat_hint(self, bind: str) -> None:
        """A demo consumer to try the web chat with: one in the demo JE's sub-division."""
        je = StaffUser.objects.filter(username="je").select_related("jurisdiction").first()
        consumers = Consumer.objects.filter(mobile__isnull=False).order_by("id")
        if je is not None and je.jurisdiction is not None:
            consumers = consumers.filter(subdivision=je.jurisdiction)
        consumer = consumers.first()
        if consumer is not None:
            self.stdout.write(
                f"Web chat: http://{bind}/chat/  (a demo consumer: account "
                f"{consumer.account_number}, mobile {consumer.mobile})\n"
            )
