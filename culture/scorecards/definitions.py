"""Which KPI definitions a scorecard's figures follow. A snapshot keeps the definitions it was frozen with
(ScorecardSnapshot.definition); a computed scorecard always follows the current ones."""

CURRENT_DEFINITION = "v2-stock"
DEFINITIONS = {
    "v1-pooled": "v1: churn and retention pooled over daily rows (before issue 12)",
    "v2-stock": "v2: churn and retention from the customer base at the period's start",
}
