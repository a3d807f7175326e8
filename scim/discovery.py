"""SCIM's self-description (RFC 7643 sections 5-7): what this server supports and the attributes it maps."""

from __future__ import annotations

from typing import Any

from .protocol import ENTERPRISE_SCHEMA, GROUP_SCHEMA, MAX_COUNT, USER_SCHEMA

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def service_provider_config(base_url: str) -> dict[str, Any]:
    return {
        "schemas": [SPC_SCHEMA],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A SCIM token issued with `manage.py scim_token create NAME`.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base_url}ServiceProviderConfig"},
    }


def resource_types(base_url: str) -> list[dict[str, Any]]:
    return [
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A person of the organisation, with their login.",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base_url}ResourceTypes/User"},
        },
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A team; its members are the people currently in it.",
            "schema": GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": f"{base_url}ResourceTypes/Group"},
        },
    ]


def _attribute(name: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    }
    attribute.update(extra)
    return attribute


def schemas(base_url: str) -> list[dict[str, Any]]:
    member = [_attribute("value", mutability="immutable"), _attribute("display", mutability="readOnly")]
    return [
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": USER_SCHEMA,
            "name": "User",
            "description": "A person; userName is their work email address and login.",
            "attributes": [
                _attribute("userName", required=True, uniqueness="server"),
                _attribute("externalId", caseExact=True, description="The HR system's employee number."),
                _attribute(
                    "name",
                    "complex",
                    subAttributes=[_attribute("formatted"), _attribute("givenName"), _attribute("familyName")],
                ),
                _attribute("displayName"),
                _attribute("active", "boolean", description="false deactivates the person; nobody is deleted."),
                _attribute(
                    "emails",
                    "complex",
                    multiValued=True,
                    subAttributes=[_attribute("value"), _attribute("type"), _attribute("primary", "boolean")],
                ),
                _attribute("groups", "complex", multiValued=True, mutability="readOnly", subAttributes=member),
            ],
            "meta": {"resourceType": "Schema", "location": f"{base_url}Schemas/{USER_SCHEMA}"},
        },
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": ENTERPRISE_SCHEMA,
            "name": "EnterpriseUser",
            "description": "The employee number (used when externalId is absent) and the manager (read only).",
            "attributes": [
                _attribute("employeeNumber", caseExact=True),
                _attribute("manager", "complex", mutability="readOnly", subAttributes=[_attribute("value")]),
            ],
            "meta": {"resourceType": "Schema", "location": f"{base_url}Schemas/{ENTERPRISE_SCHEMA}"},
        },
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": GROUP_SCHEMA,
            "name": "Group",
            "description": "A team; new teams go to the SCIM department (CENTRIC_SCIM_DEPARTMENT).",
            "attributes": [
                _attribute("displayName", required=True, uniqueness="server"),
                _attribute("members", "complex", multiValued=True, subAttributes=member),
            ],
            "meta": {"resourceType": "Schema", "location": f"{base_url}Schemas/{GROUP_SCHEMA}"},
        },
    ]
