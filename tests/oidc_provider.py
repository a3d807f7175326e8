"""A small OpenID Connect provider on loopback, for driving allauth's real sign-in flow in tests.

It speaks the authorization-code flow over HTTP exactly as an identity provider does: discovery, authorize,
token (client secret, PKCE, one-time codes, an RS256-signed ID token) with its JWKS, and userinfo. Nothing of
allauth is replaced. Used by the test-client tests (tests/users) and the browser journeys (tests/e2e).

Authorize signs in whoever the test put in `identity`, with no login form; once accounts are added
(`add_account`), it shows a sign-in form instead, as a browser meets it at a real identity provider.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalOidcProvider:
    """The provider; `start()` serves it on 127.0.0.1 at a free port, `stop()` ends it."""

    KID = "test-key-1"

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # Claims of whoever "signs in" at the next authorize request; tests set them.
        self.identity: dict[str, Any] = {}
        # With accounts, authorize asks for an email and password: email -> (password, claims).
        self.accounts: dict[str, tuple[str, dict[str, Any]]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self.server: WSGIServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def issuer(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalOidcProvider:
        self.server = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def add_account(self, email: str, password: str, **claims: Any) -> None:
        """Someone who can sign in at the provider's form; the claims go into their tokens."""
        self.accounts[email.lower()] = (password, {"email": email, **claims})

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # --- the protocol --------------------------------------------------------------------------------------

    def app(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/authorize": self.authorize,
            "/token": self.token,
            "/jwks": self.jwks,
            "/userinfo": self.userinfo,
        }
        handler = routes.get(path)
        if handler is None:
            return self._json(start_response, {"error": "not_found"}, "404 Not Found")
        return handler(environ, start_response)

    def discovery(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return self._json(
            start_response,
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "name", "amr", "acr"],
            },
        )

    # The authorization request's parameters, carried through the sign-in form as hidden fields.
    AUTHORIZE_PARAMETERS = (
        "client_id",
        "response_type",
        "scope",
        "redirect_uri",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
    )

    def authorize(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            query = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        else:
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return self._json(start_response, {"error": "unauthorized_client"}, "400 Bad Request")
        if "openid" not in query.get("scope", "").split():
            return self._json(start_response, {"error": "invalid_scope"}, "400 Bad Request")
        claims = dict(self.identity)
        if self.accounts:
            account = self.accounts.get(query.get("email", "").strip().lower())
            if environ["REQUEST_METHOD"] != "POST" or account is None or account[0] != query.get("password"):
                error = "The email or password is wrong." if environ["REQUEST_METHOD"] == "POST" else ""
                return self._sign_in_form(start_response, query, error)
            claims = {**account[1], **claims}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "claims": claims,
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "code_challenge": query.get("code_challenge"),
        }
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        start_response("302 Found", [("Location", location)])
        return [b""]

    def _sign_in_form(self, start_response: StartResponse, query: dict[str, str], error: str) -> Iterable[bytes]:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{escape(query[name])}">'
            for name in self.AUTHORIZE_PARAMETERS
            if name in query
        )
        alert = f'<p role="alert">{escape(error)}</p>' if error else ""
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local IdP: sign in</title></head>'
            f"<body><main><h1>Local IdP</h1>{alert}"
            f'<form method="post" action="/authorize">{hidden}'
            '<label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username">'
            ' <label for="password">Password</label>'
            ' <input id="password" name="password" type="password" autocomplete="current-password">'
            ' <button type="submit">Sign in</button></form></main></body></html>'
        ).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))])
        return [page]

    def token(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        self.token_requests += 1
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = environ.get("HTTP_AUTHORIZATION", "")
        if basic.startswith("Basic "):
            client_id, _sep, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        grant = self.codes.pop(form.get("code", ""), None)  # one-time
        if form.get("grant_type") != "authorization_code" or grant is None:
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if grant["code_challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, **grant["claims"]}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.KID})
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["claims"]
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        return self._json(start_response, body)

    def jwks(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return self._json(start_response, {"keys": [{**jwk, "kid": self.KID, "use": "sig", "alg": "RS256"}]})

    def userinfo(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        claims = self.access_tokens.get(bearer)
        if claims is None:
            return self._json(start_response, {"error": "invalid_token"}, "401 Unauthorized")
        # Method references belong to the authentication event (the ID token), not to the profile.
        return self._json(start_response, {k: v for k, v in claims.items() if k not in ("amr", "acr")})

    @staticmethod
    def _json(start_response: StartResponse, body: dict[str, Any], status: str = "200 OK") -> Iterable[bytes]:
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]
