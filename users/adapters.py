from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No open signup: administrators create accounts and users set their password by reset link."""

    def is_open_for_signup(self, request) -> bool:
        return False
