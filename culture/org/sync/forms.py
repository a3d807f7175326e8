"""The people-sync upload form: the file, its mapping preset, the path separator and a default effective date."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .presets import presets


class PeopleSyncUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HR export (CSV or XLSX)"),
        help_text=_("UTF-8 CSV (comma, semicolon or tab separated) or an .xlsx workbook (first sheet)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    preset = forms.ChoiceField(label=_("Column mapping"), initial="standard")
    separator = forms.CharField(
        label=_("Department path separator"),
        required=False,
        max_length=3,
        strip=False,
        help_text=_("Leave empty for the mapping's own (standard: /)."),
    )
    effective = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For rows without an effective_date; empty means today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["preset"]).choices = [
            (key, preset.label) for key, preset in presets().items()
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

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
