"""What the import wizard remembers: team aliases (the names other systems use) and saved column presets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kpis import ImportBatch
from .org import Team


class TeamAlias(models.Model):
    """Another name a source system uses for a team ("Kundtjänst Malmö" for team kundtjanst-malmo)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=120, unique=True)

    class Meta:
        ordering = ["alias"]
        verbose_name = _("team alias")
        verbose_name_plural = _("team aliases")

    def __str__(self) -> str:
        return f"{self.alias} -> {self.team.slug}"


class ImportPreset(models.Model):
    """A named column mapping and locale for one source's files, reused without questions next time.

    `columns` maps the file's header (as written) to an import column, "" for a column to ignore; an
    empty decimal separator or date order means "propose it from each file".
    """

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=ImportBatch.Kind.choices)
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    header = models.JSONField(_("header keys"), default=list, blank=True)
    decimal = models.CharField(_("decimal separator"), max_length=1, blank=True)
    date_order = models.CharField(_("date order"), max_length=3, blank=True)
    encoding = models.CharField(_("encoding"), max_length=12, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import preset")
        verbose_name_plural = _("import presets")
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="import_preset_unique_name")]

    def __str__(self) -> str:
        return self.name
