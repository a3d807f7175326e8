"""Forms of the import pages and the KPI catalogue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import ImportBatch, Kpi


class ImportUploadForm(forms.Form):
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
