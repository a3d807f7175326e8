"""A payout run's fingerprint: SHA-256 over a canonical serialisation of its rules and inputs. Pure.

Rules are the plan's terms and component specs (curve, weight, gate, quality rules); inputs are each
person's target amount (overrides included), stints (memberships after eligibility) and the KPI
actuals of each stint. Equal numbers serialise equally (80, 80.0 and 8E+1 are one value), keys are
sorted, and nothing else (names, timestamps, ids of rows) enters, so recalculating unchanged data
gives the same fingerprint and any change to what explains the lines gives another.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .calculations import Actual, ComponentSpec, PersonInput, Stint


def canonical_number(value: Decimal | int | None) -> str | None:
    """A number as text that is equal for equal values ("80" for 80, 80.0 and 8E+1)."""
    if value is None:
        return None
    number = Decimal(value).normalize()
    return "0" if number.is_zero() else format(number, "f")


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal | int):
        return canonical_number(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return sorted(items, key=json.dumps) if isinstance(value, set | frozenset) else items
    return str(value)


def _actual(actual: Actual) -> list:
    return [canonical_number(v) for v in (actual.value, actual.sample_size, actual.contacts, actual.exact)]


def _stint(stint: Stint) -> list:
    return [stint.team_id, stint.days, {key: _actual(a) for key, a in sorted(stint.actuals.items())}]


def run_fingerprint(
    *, terms: Mapping[str, Any], specs: Iterable[ComponentSpec], period_days: int, people: Iterable[PersonInput]
) -> str:
    """The hex SHA-256 of the rules (`terms`, `specs`) and inputs (`people`) of a run.

    The document is the canonical JSON of the terms, the components (by key) and the period's days, then one
    line per person in id order: `id|target amount|stint digests`, where a stint digest is the SHA-256 of
    the stint's canonical JSON (team, days, actuals). Loaders share stints, so each is serialised once.
    """
    digests: dict[int, str] = {}

    def digest(s: Stint) -> str:
        found = digests.get(id(s))
        if found is None:
            text = json.dumps(_stint(s), sort_keys=True, separators=(",", ":"))
            found = digests[id(s)] = hashlib.sha256(text.encode()).hexdigest()
        return found

    rules = {
        "terms": _plain(dict(terms)),
        "components": sorted((_plain(spec) for spec in specs), key=lambda spec: spec["key"]),
        "period_days": period_days,
    }
    hasher = hashlib.sha256(json.dumps(rules, sort_keys=True, separators=(",", ":")).encode())
    for person in sorted(people, key=lambda p: p.person_id):
        stints = ",".join(sorted(digest(s) for s in person.stints))
        hasher.update(f"\n{person.person_id}|{canonical_number(person.target_amount)}|{stints}".encode())
    return hasher.hexdigest()
