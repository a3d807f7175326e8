"""The service-profit chain on the CCO dashboard: the form's choices, the correlation or its refusal, the scatter."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from core.charts import scatter_chart

from ...models import Kpi
from ...pulse.forms import ChainForm
from ...pulse.linkage import MEASURES, default_pulse, service_chain


def chain_context(request) -> dict[str, Any]:
    """`chain_form` always; `chain` (a ServiceChain) once there is a closed pulse and a KPI; `chain_chart` only
    when a correlation is shown (enough teams, a complete KPI period)."""
    bound = any(key.startswith("chain-") for key in request.GET)
    form = ChainForm(request.GET if bound else None, user=request.user, prefix="chain")
    context: dict[str, Any] = {"chain_form": form, "chain": None, "chain_chart": None}
    if bound and not form.is_valid():
        return context
    data = form.cleaned_data if bound else {}
    lag = data.get("lag") or 0
    measure = data.get("measure") or "enps"
    kpi = data.get("kpi") or Kpi.objects.filter(code="nps").first() or Kpi.objects.first()
    today = timezone.localdate()
    pulse = data.get("pulse") or default_pulse(list(form.fields["pulse"].queryset), lag, today)  # type: ignore[attr-defined]
    if pulse is None or kpi is None:
        return context
    chain = service_chain(request.user, pulse=pulse, measure=measure, kpi=kpi, lag=lag, today=today)
    context["chain"] = chain
    if chain.correlation is not None:
        engagement = str(MEASURES[measure])
        title = gettext("%(measure)s of %(pulse)s against %(kpi)s in %(period)s, one dot per team") % {
            "measure": engagement,
            "pulse": pulse.title,
            "kpi": kpi.name,
            "period": chain.kpi_period,
        }
        description = gettext("%(n)s teams; Pearson's r %(r)s, 95 %% interval %(low)s to %(high)s.") % {
            "n": chain.correlation.n,
            "r": f"{chain.correlation.r:.2f}",
            "low": f"{chain.correlation.low:.2f}",
            "high": f"{chain.correlation.high:.2f}",
        }
        context["chain_chart"] = scatter_chart(
            [(p.engagement, p.kpi) for p in chain.points],
            title=title,
            description=description,
            x_label=engagement,
            y_label=kpi.name,
        )
    return context
