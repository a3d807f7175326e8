import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable

from ..models import Person, Team


class TeamTable(BaseTable):
    name = tables.Column(linkify=True)
    department = tables.Column(verbose_name=_("Department"))
    lead_name = tables.Column(verbose_name=_("Lead"), order_by=("lead_name",), default="—")
    member_count = tables.Column(verbose_name=_("Members"), attrs=NUMERIC)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta(BaseTable.Meta):
        model = Team
        fields = ("name", "slug", "department", "lead_name", "member_count", "is_active")


class PersonTable(BaseTable):
    name = tables.Column(linkify=True)
    email = tables.EmailColumn()
    team_name = tables.Column(verbose_name=_("Team"), default="—")
    team_role = tables.Column(verbose_name=_("Role"), default="—")

    class Meta(BaseTable.Meta):
        model = Person
        fields = ("name", "employee_number", "email", "team_name", "team_role")

    def render_team_role(self, value):
        return dict(TEAM_ROLE_LABELS).get(value, value)

    def value_team_role(self, value):
        return value


TEAM_ROLE_LABELS = (("lead", _("Lead")), ("member", _("Member")))
