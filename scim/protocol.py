"""The SCIM 2.0 protocol's pure parts (RFC 7644): filters, paging, PATCH operations on a resource's JSON.

No ORM, no request: a PATCH is applied to the resource as the client would see it, and the result is then
read like a PUT body (scim.services), so PUT and PATCH can never disagree about what a field means.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

DEFAULT_COUNT = 100
MAX_COUNT = 200


class ScimError(Exception):
    """An error the client gets in the SCIM error format (RFC 7644 section 3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


# --- filters -------------------------------------------------------------------------------------------------

_FILTER = re.compile(r'^\s*([A-Za-z][\w.:]*)\s+(eq)\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


@dataclass(frozen=True)
class EqFilter:
    """`attribute eq "value"`: the one filter identity providers send to find a resource before creating it."""

    attribute: str  # as the client spelled it; compared case-insensitively
    value: str


def parse_filter(text: str | None, allowed: tuple[str, ...]) -> EqFilter | None:
    """The filter, or None when there is none; anything but an `eq` on an allowed attribute is refused."""
    if not text:
        return None
    match = _FILTER.match(text)
    if match is None:
        raise ScimError(
            400, f"Unsupported filter {text!r}: only 'attribute eq \"value\"' is supported.", "invalidFilter"
        )
    attribute = match.group(1)
    if attribute.lower() not in {name.lower() for name in allowed}:
        raise ScimError(400, f"Filtering on {attribute!r} is not supported.", "invalidFilter")
    return EqFilter(attribute=attribute.lower(), value=match.group(3).replace('\\"', '"'))


# --- paging --------------------------------------------------------------------------------------------------


def page_bounds(start_index: str | None, count: str | None) -> tuple[int, int]:
    """(1-based startIndex, count) from the query; out-of-range values are clamped as RFC 7644 3.4.2.4 says."""
    try:
        start = int(start_index) if start_index else 1
        size = int(count) if count not in (None, "") else DEFAULT_COUNT
    except ValueError as error:
        raise ScimError(400, "startIndex and count must be integers.", "invalidValue") from error
    return max(start, 1), min(max(size, 0), MAX_COUNT)


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "itemsPerPage": len(resources),
        "startIndex": start,
        "Resources": resources,
    }


# --- PATCH ---------------------------------------------------------------------------------------------------

_PATH = re.compile(
    r"^(?:(?P<urn>urn:[^\[]+):)?(?P<attr>[A-Za-z$][\w$]*)"
    r"(?:\[(?P<filter>[^\]]+)\])?(?:\.(?P<sub>[A-Za-z$][\w$]*))?$"
)


@dataclass(frozen=True)
class Path:
    urn: str
    attribute: str
    filter: EqFilter | None
    sub_attribute: str


def parse_path(text: str) -> Path:
    text = text.strip()
    # "name.givenName" and "urn:...:User:employeeNumber" both fit the grammar.
    match = _PATH.match(text)
    if match is None:
        raise ScimError(400, f"Invalid path {text!r}.", "invalidPath")
    value_filter = None
    if match.group("filter"):
        found = _FILTER.match(match.group("filter"))
        if found is None:
            raise ScimError(400, f"Unsupported value filter in {text!r}.", "invalidFilter")
        value_filter = EqFilter(attribute=found.group(1).lower(), value=found.group(3))
    return Path(
        urn=match.group("urn") or "",
        attribute=match.group("attr"),
        filter=value_filter,
        sub_attribute=match.group("sub") or "",
    )


def _key(container: dict[str, Any], name: str) -> str:
    """The key as stored in `container` (attribute names are case-insensitive), or `name` when absent."""
    for key in container:
        if key.lower() == name.lower():
            return key
    return name


def _matches(item: Any, value_filter: EqFilter) -> bool:
    if not isinstance(item, dict):
        return False
    found = item.get(_key(item, value_filter.attribute))
    return str(found).lower() == value_filter.value.lower()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _add_values(existing: list[Any], values: list[Any]) -> list[Any]:
    """Multi-valued add: new values appended, a value already present (same "value") not duplicated."""
    seen = {str(item.get("value")) for item in existing if isinstance(item, dict)}
    result = list(existing)
    for item in values:
        if isinstance(item, dict) and str(item.get("value")) in seen:
            continue
        result.append(item)
    return result


def _target(resource: dict[str, Any], path: Path) -> dict[str, Any]:
    if not path.urn or path.urn.lower() in (USER_SCHEMA.lower(), GROUP_SCHEMA.lower()):
        return resource
    key = _key(resource, path.urn)
    extension = resource.setdefault(key, {})
    if not isinstance(extension, dict):
        raise ScimError(400, f"{path.urn} is not an object.", "invalidPath")
    return extension


def _apply_without_path(resource: dict[str, Any], op: str, value: Any) -> None:
    if op == "remove":
        raise ScimError(400, "A remove operation needs a path.", "noTarget")
    if not isinstance(value, dict):
        raise ScimError(400, "An operation without a path needs an object value.", "invalidValue")
    for name, item in value.items():
        # Entra ID sends {"name.givenName": "..."} as keys of a path-less replace.
        _apply_with_path(resource, op, parse_path(name), item)


def _apply_with_path(resource: dict[str, Any], op: str, path: Path, value: Any) -> None:
    container = _target(resource, path)
    key = _key(container, path.attribute)
    current = container.get(key)
    if path.filter is not None:
        if not isinstance(current, list):
            if op == "remove":
                return
            raise ScimError(400, f"No values match {path.attribute}[...].", "noTarget")
        matched = [item for item in current if _matches(item, path.filter)]
        if op == "remove":
            if path.sub_attribute:
                for item in matched:
                    item.pop(_key(item, path.sub_attribute), None)
            else:
                container[key] = [item for item in current if item not in matched]
            return
        if not matched:
            if op == "add" and path.sub_attribute:
                # "emails[type eq "work"].value" on a user without a work address creates it.
                container[key] = [*current, {path.filter.attribute: path.filter.value, path.sub_attribute: value}]
                return
            raise ScimError(400, f"No values match {path.attribute}[...].", "noTarget")
        for item in matched:
            if path.sub_attribute:
                item[_key(item, path.sub_attribute)] = value
            elif isinstance(value, dict):
                item.update(value)
        return
    if path.sub_attribute:
        if op == "remove":
            if isinstance(current, dict):
                current.pop(_key(current, path.sub_attribute), None)
            return
        if not isinstance(current, dict):
            current = container[key] = {}
        current[_key(current, path.sub_attribute)] = value
        return
    if op == "remove":
        if value is not None and isinstance(current, list):
            # Entra ID removes members as {"op": "Remove", "path": "members", "value": [{"value": id}]}.
            gone = {str(item.get("value")) for item in _as_list(value) if isinstance(item, dict)}
            container[key] = [item for item in current if str(item.get("value")) not in gone]
        else:
            container.pop(key, None)
        return
    if op == "add" and (isinstance(current, list) or isinstance(value, list)):
        container[key] = _add_values(current if isinstance(current, list) else [], _as_list(value))
        return
    if op == "add" and isinstance(current, dict) and isinstance(value, dict):
        current.update(value)
        return
    container[key] = value


def apply_patch(resource: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The resource after the PatchOp `body`'s operations, in order (RFC 7644 section 3.5.2)."""
    if PATCH_SCHEMA not in body.get("schemas", []):
        raise ScimError(400, f"A PATCH body must name the schema {PATCH_SCHEMA}.", "invalidSyntax")
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH body needs a list of Operations.", "invalidSyntax")
    result = copy.deepcopy(resource)
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation is an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "remove", "replace"):
            raise ScimError(400, f"Unknown operation {operation.get('op')!r}.", "invalidSyntax")
        path = operation.get("path")
        if path:
            _apply_with_path(result, op, parse_path(str(path)), operation.get("value"))
        else:
            _apply_without_path(result, op, operation.get("value"))
    return result


def as_bool(value: Any) -> bool:
    """SCIM booleans; Entra ID sends "True"/"False" strings in PATCH values."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(400, f"{value!r} is not a boolean.", "invalidValue")
