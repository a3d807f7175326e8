"""How a service's ValidationError reaches the person: on the form's fields, or as one message line."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """All of the error's messages as one line, for a flash message or a command's error."""
    return " ".join(error.messages)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Puts each message on the field it names (or on the form when it names none the form has)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
