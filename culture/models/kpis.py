"""The KPI catalogue and what is measured against it: measurements, survey responses and import batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .org import Team


class Kpi(models.Model):
    """A customer-centric indicator: how it is aggregated over a period and which way is better.

    Every aggregation works on raw sums so that team, department and company figures come from the
    same rows: `ratio` is scale x sum(numerator) / sum(denominator); `mean` is the sample-weighted
    mean sum(value x n) / sum(n) (n = sample_size, 1 when empty; a survey mean's row carries its exact
    score sum as numerator, used instead of value x n); `sum` adds values; `last` takes the
    latest value in the period. `churn` and `retention` are stock KPIs over customer bases (opening,
    gained, lost, closing): lost / base at the period's start, and (base at its end - gained) / base at
    its start; the start is the first day's opening, never a sum of daily bases (`scorecards.stock`).
    """

    class Category(models.TextChoices):
        SATISFACTION = "satisfaction", _("Satisfaction")
        LOYALTY = "loyalty", _("Loyalty")
        RETENTION = "retention", _("Retention")
        EFFORT = "effort", _("Effort")
        EFFICIENCY = "efficiency", _("Efficiency")
        PROFITABILITY = "profitability", _("Profitability")

    class Unit(models.TextChoices):
        PERCENT = "percent", _("%")
        SCORE = "score", _("score")
        SECONDS = "seconds", _("seconds")
        CURRENCY = "currency", _("currency")
        COUNT = "count", _("count")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        MEAN = "mean", _("Mean")
        LAST = "last", _("Last value")
        RATIO = "ratio", _("Ratio of sums")
        CHURN = "churn", _("Stock: lost / base at start")
        RETENTION = "retention", _("Stock: (base at end - gained) / base at start")

    class Survey(models.TextChoices):
        NPS = "nps", _("NPS (0-10)")
        CSAT = "csat", _("CSAT (1-5)")
        CES = "ces", _("CES (1-7)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    definition = models.TextField(_("definition"), help_text=_("The formula in words, shown beside every figure."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices)
    scale = models.DecimalField(
        _("scale"), max_digits=8, decimal_places=2, default=1, help_text=_("Ratio multiplier: 100 for percentages.")
    )
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    survey = models.CharField(
        _("survey"), max_length=4, choices=Survey.choices, blank=True, help_text=_("Set for survey-based KPIs.")
    )
    is_standard = models.BooleanField(_("standard"), default=False, editable=False)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.UniqueConstraint(fields=["survey"], condition=~Q(survey=""), name="kpi_one_kpi_per_survey"),
            models.CheckConstraint(condition=Q(scale__gt=0), name="kpi_scale_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_lower_better(self) -> bool:
        return self.direction == self.Direction.LOWER

    @property
    def is_stock(self) -> bool:
        return self.aggregation in (self.Aggregation.CHURN, self.Aggregation.RETENTION)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social")
    SELF_SERVICE = "self_service", _("Self-service")
    IN_PERSON = "in_person", _("In person")
    ALL = "all", _("All channels (not split)")


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def visible_to(self, user) -> ImportBatchQuerySet:
        """Executives see every import; anyone else the imports they sent themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(uploaded_by=user)


class ImportBatch(models.Model):
    """One upload or API call: who sent which file, its checksum, and what it changed."""

    class Kind(models.TextChoices):
        MEASUREMENTS = "measurements", _("Measurements")
        RESPONSES = "responses", _("Survey responses")

    class Source(models.TextChoices):
        WEB = "web", _("Web upload")
        COMMAND = "command", _("Command line")
        API = "api", _("API")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename or self.checksum[:12]}"


class MeasurementQuerySet(models.QuerySet["Measurement"]):
    def visible_to(self, user) -> MeasurementQuerySet:
        return self.filter(team__in=Team.objects.visible_to(user))


# The columns of the measurement list and its exports, in order (culture.measurements.tables); the list's
# covering index holds them all (below).
MEASUREMENT_EXPORT_FIELDS = (
    "date",
    "team",
    "kpi",
    "channel",
    "value",
    "numerator",
    "denominator",
    "sample_size",
    "source",
    "updated_at",
)


class Measurement(models.Model):
    """One team's figure for one KPI on one day and channel. Re-sending the same key updates it.

    Ratio KPIs carry numerator and denominator; others carry value (and sample_size for means).
    `sum_squares` (sum of squared per-response scores) comes with survey KPIs and gives their
    confidence interval: it adds up across days and teams like the other sums. Stock KPIs (churn,
    retention) carry the team's customer base that day instead: `opening` (at the start of the day),
    `gained`, `lost` and `closing` (at its end); a team's customers are its own (no customer belongs to
    two teams), so department and company bases are the sums of their teams'.
    """

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="measurements")
    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.PROTECT, related_name="measurements")
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.ALL)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=6, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=6, null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    sum_squares = models.DecimalField(_("sum of squares"), max_digits=20, decimal_places=6, null=True, blank=True)
    opening = models.PositiveIntegerField(_("customers at start of day"), null=True, blank=True)
    gained = models.PositiveIntegerField(_("customers gained"), null=True, blank=True)
    lost = models.PositiveIntegerField(_("customers lost"), null=True, blank=True)
    closing = models.PositiveIntegerField(_("customers at end of day"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=ImportBatch.Source.choices, default="web")
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["team", "kpi", "date", "channel"], name="measurement_unique_key"),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(numerator__isnull=False, denominator__isnull=False)
                | Q(closing__isnull=False),
                name="measurement_has_value_ratio_or_base",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="measurement_denominator_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["kpi", "date"]),
            # The list's order (newest first, the id breaks ties), holding every column the CSV export shows:
            # on PostgreSQL the export of millions of rows is an index-only scan in exactly that order, never
            # a sort nor a heap fetch per row (docs/benchmarks.md, Exports). Date ranges use it as they used the
            # plain date index it replaces. SQLite has no covering indexes and keeps (date DESC, id DESC).
            models.Index(
                fields=["-date", "-id"],
                include=[field for field in MEASUREMENT_EXPORT_FIELDS if field != "date"],
                name="measurement_export_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.kpi.code} {self.date} {self.channel}"


class SurveyResponseQuerySet(models.QuerySet["SurveyResponse"]):
    def visible_to(self, user) -> SurveyResponseQuerySet:
        return self.filter(team__in=Team.objects.visible_to(user))


class SurveyResponse(models.Model):
    """One customer's answer to an NPS (0-10), CSAT (1-5) or CES (1-7) survey; aggregated into daily measurements."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="survey_responses")
    survey = models.CharField(_("survey"), max_length=4, choices=Kpi.Survey.choices)
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.ALL)
    score = models.PositiveSmallIntegerField(_("score"))
    respondent = models.CharField(_("respondent id"), max_length=80)
    # The customer's own words, as sent; pages show them through measurements.masking (no email or phone).
    comment = models.TextField(_("comment"), blank=True, default="")
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "survey", "date", "channel", "respondent"], name="survey_response_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(survey="nps", score__lte=10)
                | Q(survey="csat", score__gte=1, score__lte=5)
                | Q(survey="ces", score__gte=1, score__lte=7),
                name="survey_response_score_in_scale",
            ),
        ]
        indexes = [models.Index(fields=["team", "survey", "date"])]

    def __str__(self) -> str:
        return f"{self.survey} {self.score} {self.team} {self.date}"
