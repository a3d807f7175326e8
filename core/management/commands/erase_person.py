"""`manage.py erase_person EMAIL --reason ... --actor ADMIN_EMAIL`: erasure on request (core.erasure)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.erasure import ErasureError, collect, erase_person


class Command(BaseCommand):
    help = (
        "Replaces a person's name and email by a stable pseudonym everywhere except the accounting records of paid "
        "payout runs, deactivates their login, and records who did it and why in the audit trail."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="the person's address (their login's or their employee record's)")
        parser.add_argument("--reason", required=True, help="why (e.g. the request's reference); audited")
        parser.add_argument("--actor", required=True, help="the administrator's login address; audited")
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, email: str, reason: str, actor: str, no_input: bool, **options) -> None:
        if not reason.strip():
            raise CommandError("--reason must say why.")
        admin = get_user_model().objects.filter(email__iexact=actor, is_active=True).first()
        if admin is None or not (admin.is_superuser or admin.has_perm("users.change_user")):
            raise CommandError(f"{actor} is not an active administrator.")
        try:
            found = collect(email)
        except ErasureError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{len(found.user_ids)} login(s) and {len(found.person_ids)} employee record(s) will be erased as "
            f"{found.pseudonym!r}. This cannot be undone."
        )
        if not no_input and input(f"Type {email} again to confirm: ").strip() != email:
            raise CommandError("Not confirmed; nothing was changed.")
        try:
            erasure = erase_person(email=email, actor=admin, reason=reason)
        except ErasureError as error:
            raise CommandError(str(error)) from error
        changed = ", ".join(f"{label} {count}" for label, count in sorted(erasure.changed.items()))
        self.stdout.write(self.style.SUCCESS(f"Erased as {erasure.pseudonym}: {changed}."))
