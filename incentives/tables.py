import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.cells import ExportMoney
from core.money import round_money
from core.numbers import fixed
from core.tables import NUMERIC, BaseTable

from .models import PayoutLine, Plan, StatementDispute


class PlanTable(BaseTable):
    name = tables.Column(linkify=True)
    period = tables.Column(verbose_name=_("Period"), accessor="period__code")
    reward_type = tables.Column(verbose_name=_("Reward"))
    target_amount = tables.Column(verbose_name=_("Target / person"), attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = Plan
        fields = ("name", "period", "reward_type", "currency", "target_amount", "status")


class PayoutLineTable(BaseTable):
    """Run lines; the CSV/XLSX export is the payroll file (one row per person)."""

    employee_number = tables.Column(verbose_name=_("Employee number"), accessor="person__employee_number")
    person = tables.Column(verbose_name=_("Person"), accessor="payee", linkify=lambda record: record.get_absolute_url())
    team = tables.Column(verbose_name=_("Main team"), accessor="team__name")
    proration = tables.Column(verbose_name=_("Proration"), attrs=NUMERIC)
    target_amount = tables.Column(verbose_name=_("Target"), attrs=NUMERIC)
    amount = tables.Column(verbose_name=_("Line amount"), attrs=NUMERIC)
    adjusted = tables.Column(verbose_name=_("Approved adjustments"), attrs=NUMERIC)
    final_amount = tables.Column(verbose_name=_("Total"), attrs=NUMERIC)
    currency = tables.Column(verbose_name=_("Currency"), accessor="run__currency", orderable=False)

    class Meta(BaseTable.Meta):
        model = PayoutLine
        fields = (
            "employee_number",
            "person",
            "team",
            "proration",
            "target_amount",
            "amount",
            "adjusted",
            "final_amount",
            "currency",
        )

    def render_proration(self, value):
        return f"{fixed(value * 100, 1)} %"

    def value_proration(self, value):
        return str(value)

    def render_amount(self, record, value):
        return f"{round_money(value, record.run.currency):f}"

    def value_amount(self, record, value):
        return ExportMoney(round_money(value, record.run.currency), record.run.currency)

    def value_target_amount(self, value):
        return str(value)

    def render_adjusted(self, record, value):
        return f"{round_money(value, record.run.currency):f}"

    def value_adjusted(self, record, value):
        return ExportMoney(round_money(value, record.run.currency), record.run.currency)

    def render_final_amount(self, record, value):
        return f"{round_money(value, record.run.currency):f}"

    def value_final_amount(self, record, value):
        return ExportMoney(round_money(value, record.run.currency), record.run.currency)


class StatementTable(BaseTable):
    plan = tables.Column(
        verbose_name=_("Plan"), accessor="run__plan__name", linkify=lambda record: record.get_absolute_url()
    )
    period = tables.Column(verbose_name=_("Period"), accessor="run__plan__period__code")
    person = tables.Column(verbose_name=_("Person"), accessor="person__name")
    status = tables.Column(verbose_name=_("Run status"), accessor="run__status")
    amount = tables.Column(verbose_name=_("Line amount"), attrs=NUMERIC)
    final_amount = tables.Column(verbose_name=_("Total incl. adjustments"), attrs=NUMERIC)
    currency = tables.Column(verbose_name=_("Currency"), accessor="run__currency", orderable=False)

    class Meta(BaseTable.Meta):
        model = PayoutLine
        fields = ("plan", "period", "person", "status", "amount", "final_amount", "currency")

    def render_amount(self, record, value):
        return f"{round_money(value, record.run.currency):f}"

    def value_amount(self, record, value):
        return ExportMoney(round_money(value, record.run.currency), record.run.currency)

    def render_final_amount(self, record, value):
        return f"{round_money(value, record.run.currency):f}"

    def value_final_amount(self, record, value):
        return ExportMoney(round_money(value, record.run.currency), record.run.currency)


class StatementDisputeTable(BaseTable):
    """Questions about statements, newest first; each opens its page."""

    id = tables.Column(verbose_name=_("Question"), linkify=lambda record: record.get_absolute_url())
    person = tables.Column(verbose_name=_("Person"), accessor="line__person__name")
    plan = tables.Column(verbose_name=_("Plan"), accessor="line__run__plan__name")
    period = tables.Column(verbose_name=_("Period"), accessor="line__run__plan__period__code")
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.DateTimeColumn(verbose_name=_("Raised"), format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = StatementDispute
        fields = ("id", "person", "plan", "period", "status", "created_at")

    def render_id(self, value):
        return f"#{value}"
