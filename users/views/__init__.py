"""The users app's pages: sign-in and language (accounts), and the user's own API tokens (tokens)."""

from .accounts import (
    LoginView,
    local_passwords_enabled,
    login,
    password_change,
    password_reset,
    password_reset_from_key,
    password_set,
    requires_local_passwords,
    set_language,
)
from .tokens import ApiTokenForm, ApiTokenRevokeView, ApiTokenView

__all__ = [
    "ApiTokenForm",
    "ApiTokenRevokeView",
    "ApiTokenView",
    "LoginView",
    "local_passwords_enabled",
    "login",
    "password_change",
    "password_reset",
    "password_reset_from_key",
    "password_set",
    "requires_local_passwords",
    "set_language",
]
