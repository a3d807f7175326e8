"""Customers' comments shown to staff: email addresses and phone numbers are masked. Pure: stdlib only."""

from __future__ import annotations

import re

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
MIN_PHONE_DIGITS = 7

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run that starts with +, ( or a digit, ends with a digit, and holds only digits and the separators people
# write in phone numbers; it counts as a phone number from MIN_PHONE_DIGITS digits on.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d[\d\s().\-/]*\d(?![\w@])")
_DATE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits < MIN_PHONE_DIGITS or _DATE.fullmatch(text.strip()):
        return text
    return PHONE_MASK


def mask_contact_details(text: str) -> str:
    """The comment with every email address replaced by [email] and every phone number by [phone]."""
    return _PHONE_CANDIDATE.sub(_phone, _EMAIL.sub(EMAIL_MASK, text))
