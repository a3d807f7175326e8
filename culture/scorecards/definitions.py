"""Which KPI definitions a scorecard's figures follow. A snapshot keeps the definitions it was frozen with
(ScorecardSnapshot.definition); a computed scorecard always follows the current ones."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CURRENT_DEFINITION = "v2-stock"
# Shown to people beside a snapshot's figures (pages and PDFs), so in their language.
DEFINITIONS: dict[str, Promise] = {
    "v1-pooled": _("v1: churn and retention pooled over daily rows (before issue 12)"),
    "v2-stock": _("v2: churn and retention from the customer base at the period's start"),
}
