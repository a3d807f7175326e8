"""Forms of the import pages and the KPI catalogue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import ImportBatch, Kpi, Measurement, SurveyResponse

DECIMAL_CHOICES = [("", _("Propose from the file")), (",", _("Comma: 402,5")), (".", _("Dot: 402.5"))]
DATE_ORDER_CHOICES = [
    ("", _("Propose from the file")),
    ("ymd", _("ISO: 2026-12-31")),
    ("dmy", _("Day first: 31.12.2026")),
    ("mdy", _("Month first: 12/31/2026")),
]
ENCODING_CHOICES = [
    ("", _("Detect from the bytes")),
    ("utf-8", _("UTF-8")),
    ("cp1252", _("Windows-1252 (Excel's plain CSV)")),
]
IGNORE = "-"


class _LocaleFields(forms.Form):
    """The file's locale: each part chosen, or left blank to be proposed from the file with its evidence."""

    decimal = forms.ChoiceField(label=_("Decimal separator"), choices=DECIMAL_CHOICES, required=False)
    date_order = forms.ChoiceField(label=_("Date order"), choices=DATE_ORDER_CHOICES, required=False)
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")


def column_label(column: str) -> str:
    """An import column in the reader's language (its stored field's name, "Kanal" for `channel`); the value
    posted stays the column's machine name."""
    for model in (Measurement, SurveyResponse):
        try:
            field = model._meta.get_field(column)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):  # not a reverse relation: those have no verbose name
            return str(capfirst(field.verbose_name))  # the form is built per request, in its language
    return column


class ImportOptionsForm(_LocaleFields):
    """How to read one waiting upload: its locale, which file column is which, and an optional preset name."""

    save_as = forms.CharField(
        label=_("Save as preset"),
        max_length=80,
        required=False,
        help_text=_("A name for these settings; the next file with the same columns is read with them."),
    )

    def __init__(self, *args, header: list[str], columns: tuple[str, ...], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        targets = [(c, column_label(c)) for c in columns]
        choices = [("", _("Match by name")), (IGNORE, _("Ignore this column")), *targets]
        for index, name in enumerate(header):
            initial = mapping.get(name)
            self.fields[f"map_{index}"] = forms.ChoiceField(
                label=name or _("(empty)"),
                choices=choices,
                required=False,
                initial=IGNORE if initial == "" else initial or "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.fields["save_as"].widget.attrs.setdefault("class", "form-control")

    def mapping_fields(self):
        return [self[f"map_{index}"] for index in range(len(self.header))]

    def column_mapping(self) -> dict[str, str]:
        """File header -> column ("" = ignore), only for the columns the user mapped."""
        mapping = {}
        for index, name in enumerate(self.header):
            chosen = self.cleaned_data.get(f"map_{index}", "")
            if chosen:
                mapping[name] = "" if chosen == IGNORE else chosen
        return mapping

    def clean(self):
        cleaned = super().clean() or {}
        targets = [value for key, value in cleaned.items() if key.startswith("map_") and value not in ("", IGNORE)]
        twice = sorted({value for value in targets if targets.count(value) > 1})
        if twice:
            raise forms.ValidationError(
                _("Each column may be chosen once; chosen twice: %(columns)s."), params={"columns": ", ".join(twice)}
            )
        return cleaned


SOURCE_CHOICES = [
    ("", _("Centric's own columns (or a saved preset that matches)")),
    ("qualtrics", _("Qualtrics responses export")),
    ("zendesk", _("Zendesk satisfaction ratings export")),
    ("netigate", _("Netigate export")),
]


class ImportUploadForm(_LocaleFields):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportBatch.Kind.choices,
        initial=ImportBatch.Kind.MEASUREMENTS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("UTF-8 CSV (comma, semicolon or tab separated) or an .xlsx workbook (first sheet)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )

    source = forms.ChoiceField(label=_("File from"), choices=SOURCE_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("source") and cleaned.get("kind") != ImportBatch.Kind.RESPONSES:
            self.add_error("source", _("Survey tools' exports hold survey responses: choose that kind."))
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CENTRIC_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(limit)s bytes. Split it into parts."),
                params={"size": f"{upload.size:,}", "limit": f"{limit:,}"},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class KpiForm(forms.ModelForm):
    """A user-defined KPI. Survey KPIs are standard only (their figures come from survey imports)."""

    class Meta:
        model = Kpi
        fields = ["code", "name", "definition", "category", "unit", "direction", "aggregation", "scale", "decimals"]
        help_texts = {
            "code": _("Lower-case letters, digits, - and _; used in import files and the API. Cannot change later."),
            "aggregation": _(
                "ratio: files give numerator and denominator; mean, sum and last: files give value "
                "(mean weighted by sample size)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["aggregation"].disabled = self.instance.measurements.exists()
            if self.fields["aggregation"].disabled:
                self.fields["aggregation"].help_text = _("Fixed once measurements exist: they were checked against it.")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
