from __future__ import annotations

import json

import pytest
from django.test import Client

from scim.models import ScimToken


class ScimClient:
    """A provisioning client: JSON bodies, the SCIM media type, a bearer token."""

    def __init__(self, token: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def _send(self, method: str, path: str, body=None, **extra):
        data = json.dumps(body) if body is not None else ""
        return getattr(self.client, method)(path, data=data, content_type="application/scim+json", **extra)

    def get(self, path: str, params=None):
        return self.client.get(path, params or {})

    def post(self, path: str, body):
        return self._send("post", path, body)

    def put(self, path: str, body):
        return self._send("put", path, body)

    def patch(self, path: str, body):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self.client.delete(path)


@pytest.fixture
def scim_token(db):
    return ScimToken.issue("Entra ID")


@pytest.fixture
def scim(scim_token) -> ScimClient:
    return ScimClient(scim_token[1])
