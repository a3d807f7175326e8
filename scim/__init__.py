"""SCIM 2.0 provisioning (RFC 7643/7644): Users onto culture's people (+ their login), Groups onto teams.

Its own bearer tokens (ScimToken) open /scim/v2/ and nothing else; user API tokens never open it.
"""
