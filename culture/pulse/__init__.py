"""Pulse surveys: the question library, pulses, anonymous answers and their results (see docs/kpi-maths.md).

The contract: `calculations` (eNPS, culture index, the differencing rule), `services` (every write),
`results.pulse_results` (the one read of results, used by the pages, the API and the exports).
"""
