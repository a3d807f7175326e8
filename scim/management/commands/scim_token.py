"""Issue, list or revoke SCIM bearer tokens: `scim_token create NAME`, `scim_token list`, `scim_token revoke NAME`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from scim.models import ScimToken


class Command(BaseCommand):
    help = "Issue (prints the value once), list or revoke SCIM provisioning tokens."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("name", nargs="?", default="")

    def handle(self, *args, action: str, name: str, **options) -> None:
        if action == "list":
            for token in ScimToken.objects.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.name}\t{token.prefix}…\t{state}\tlast used {token.last_used_at or '-'}")
            return
        if not name:
            raise CommandError("Give the token's name.")
        if action == "create":
            _token, value = ScimToken.issue(name)
            self.stdout.write(value)
            return
        tokens = ScimToken.objects.filter(name=name, revoked_at__isnull=True)
        if not tokens:
            raise CommandError(f"No active token named {name!r}.")
        for token in tokens:
            token.revoke()
        self.stdout.write(f"Revoked {len(tokens)} token(s) named {name!r}.")
