"""A count of committed changes to the culture tables, which versions the cached scorecards.

On PostgreSQL a statement-level trigger on every culture table (installed after each migrate by
`culture.scorecards.memo.install_change_triggers`) adds one row per writing transaction. The sum of
`weight` therefore grows with every commit that touched culture data and with nothing else; readers see it
move exactly when the data they read moves. A nightly job folds the rows into one (the sum is kept).
"""

from __future__ import annotations

from django.db import models


class DataChange(models.Model):
    """One transaction that wrote culture data (or, after folding, many: `weight` of them)."""

    weight = models.PositiveBigIntegerField(default=1)
    # The writing transaction's id (pg_current_xact_id), the largest one after folding: it only grows, so a
    # table emptied by a flush or a restore cannot bring back an older (sum, transaction) pair.
    xact = models.BigIntegerField()

    class Meta:
        db_table = "culture_datachange"

    def __str__(self) -> str:
        return f"{self.weight} change(s) up to transaction {self.xact}"
