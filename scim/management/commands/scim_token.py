"""Issue, list or revoke SCIM bearer tokens: `scim_token create NAME [--days N]`, `scim_token list`,
`scim_token revoke NAME`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scim.models import ScimToken


class Command(BaseCommand):
    help = "Issue (prints the value once), list or revoke SCIM provisioning tokens."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("name", nargs="?", default="")
        parser.add_argument(
            "--days", type=int, default=0, help="lifetime of a new token (default CENTRIC_SCIM_TOKEN_LIFETIME_DAYS)"
        )

    def handle(self, *args, action: str, name: str, days: int, **options) -> None:
        if action == "list":
            now = timezone.now()
            for token in ScimToken.objects.all():
                state = "revoked" if token.revoked_at else "expired" if token.expires_at <= now else "active"
                self.stdout.write(
                    f"{token.name}\t{token.prefix}…\t{state}\texpires {token.expires_at:%Y-%m-%d}"
                    f"\tlast used {token.last_used_at or '-'}"
                )
            return
        if not name:
            raise CommandError("Give the token's name.")
        if action == "create":
            if days < 0:
                raise CommandError("--days must be positive.")
            _token, value = ScimToken.issue(name, dt.timedelta(days=days) if days else None)
            self.stdout.write(value)
            return
        tokens = ScimToken.objects.filter(name=name, revoked_at__isnull=True)
        if not tokens:
            raise CommandError(f"No active token named {name!r}.")
        for token in tokens:
            token.revoke()
        self.stdout.write(f"Revoked {len(tokens)} token(s) named {name!r}.")
