"""`sampark api_token create --user USERNAME --name NAME`: issue a bearer token for an
integration. The raw key is printed once; only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sampark.accounts.models import StaffUser
from sampark.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Manage API tokens of integrations (website, SCADA feed, partners)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token acting as a staff user.")
        create.add_argument("--user", required=True, help="username the token acts as")
        create.add_argument("--name", required=True, help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(username=options["user"], name=options["name"])

    def _create(self, *, username: str, name: str) -> None:
        name = name.strip()
        if not name:
            raise CommandError("--name must not be empty")
        if len(name) > 80:
            raise CommandError("--name must be at most 80 characters")
        owner = StaffUser.objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"no staff user {username!r}")
        if not owner.is_active:
            raise CommandError(f"staff user {username!r} is inactive")
        token, raw_key = api_token_create(owner=owner, name=name)
        self.stderr.write(
            f"Token {token.name!r} (id {token.pk}) acts as {owner.username}. "
            "Store the key now: it is not shown again."
        )
        self.stdout.write(raw_key)
