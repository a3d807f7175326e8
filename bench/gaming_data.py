"""Generated team-periods, clean or gamed, to measure the gaming detector (docs/kpi-maths.md, "Gaming signals").

Separate from the detector on purpose: its own parameters, its own random model. Each "company period" has
`covered` teams on the plan and `uncovered` teams outside it; every team has 30 daily values per period.

Clean teams (every rule sees them):
- a KPI with a payout threshold: daily values ~ N(mean, sd), mean anywhere from 1.5 sd below to 2 sd above the
  threshold, sd from 2 to 6 points;
- surveys: 150-400 contacts a day, a response rate of 4-15 % that drifts by N(0, 6 %) relative between
  periods (so does every uncovered team);
- handle time ~ N(m, 12 %) daily, m 240-600 s, drifting by N(0, 4 %) between periods; FCR 60-85 % drifting by
  N(0, 1.5) points;
- surveys over 4 channels and 7 weekdays whose scores differ by up to ±12 points; the channel and weekday
  mix wanders by up to ±5 points of share between periods.

Gamed patterns (one per gamed team-period):
- `threshold`: mean within 1 sd of the threshold; a day that falls within `lift_band` sd below the threshold is
  lifted to just above it (uniform in the first 0.3 sd) with probability `lift_probability`;
- `survey_drop`: the covered team's response rate falls to 45-75 % of what it was;
- `rushing`: handle time falls by 15-30 % and FCR by 5-12 points;
- `survey_mix`: 20-40 points of the survey sample move to the channel and weekdays that scored best.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from incentives.gaming.detector import (
    Cell,
    Counts,
    DailySeries,
    GamingInputs,
    ServiceTrend,
    SurveyMix,
    SurveyVolume,
)

PATTERNS = ("threshold", "survey_drop", "rushing", "survey_mix")
CHANNELS = ("phone", "email", "chat", "social")
DAYS = 30


@dataclass(frozen=True)
class Parameters:
    """The generator's own knobs (not the detector's thresholds)."""

    covered: int = 20
    uncovered: int = 20
    gamed_share: float = 0.25
    lift_band: float = 0.8
    lift_probability: float = 0.95


@dataclass(frozen=True)
class CompanyPeriod:
    """The detector's inputs for one generated period, and which covered teams are gamed, and how."""

    inputs: GamingInputs
    gamed: dict[int, str]
    clean: tuple[int, ...]


def _series(rng: random.Random, team_id: int, gamed: bool, p: Parameters) -> DailySeries:
    threshold, sigma = 75.0, rng.uniform(2, 6)
    mu = threshold + sigma * (rng.uniform(-1, 1) if gamed else rng.uniform(-1.5, 2))
    days = []
    for _ in range(DAYS):
        v = rng.gauss(mu, sigma)
        if gamed and threshold - p.lift_band * sigma <= v < threshold and rng.random() < p.lift_probability:
            v = threshold + rng.uniform(0, 0.3 * sigma)
        days.append(v)
    return DailySeries(team_id, "csat", threshold, False, tuple(days))


def _binomial(rng: random.Random, n: int, p: float) -> int:
    # Normal approximation keeps the generator fast; counts are large (thousands of contacts).
    return max(0, round(rng.gauss(n * p, (n * p * (1 - p)) ** 0.5)))


def _volume(rng: random.Random, team_id: int, covered: bool, gamed: bool) -> SurveyVolume:
    contacts_before, contacts_now = (sum(rng.randint(150, 400) for _ in range(DAYS)) for _ in range(2))
    rate = rng.uniform(0.04, 0.15)
    rate_now = rate * (rng.uniform(0.45, 0.75) if gamed else max(0.5, rng.gauss(1, 0.06)))
    return SurveyVolume(
        team_id,
        covered,
        _binomial(rng, contacts_before, rate),
        _binomial(rng, contacts_now, rate_now),
        contacts_before,
        contacts_now,
    )


def _trend(rng: random.Random, team_id: int, gamed: bool) -> ServiceTrend:
    m = rng.uniform(240, 600)
    m_now = m * (1 - rng.uniform(0.15, 0.30)) if gamed else m * rng.gauss(1, 0.04)
    fcr = rng.uniform(0.60, 0.85)
    fcr_now = fcr - (rng.uniform(0.05, 0.12) if gamed else rng.gauss(0, 0.015))
    contacts_before, contacts_now = (sum(rng.randint(150, 400) for _ in range(DAYS)) for _ in range(2))
    return ServiceTrend(
        team_id,
        tuple(rng.gauss(m, 0.12 * m) for _ in range(DAYS)),
        tuple(rng.gauss(m_now, 0.12 * m_now) for _ in range(DAYS)),
        Counts(_binomial(rng, contacts_before, fcr), contacts_before),
        Counts(_binomial(rng, contacts_now, min(0.99, fcr_now)), contacts_now),
    )


def _shares(rng: random.Random, n: int) -> list[float]:
    raw = [rng.uniform(0.5, 1.5) for _ in range(n)]
    return [r / sum(raw) for r in raw]


def _wander(rng: random.Random, shares: list[float], by: float) -> list[float]:
    moved = [max(0.01, s + rng.uniform(-by, by)) for s in shares]
    return [s / sum(moved) for s in moved]


def _cells(rng: random.Random, keys, shares, scores, total: int) -> dict[str, Cell]:
    cells = {}
    for key, share, score in zip(keys, shares, scores, strict=True):
        sample = max(0, round(rng.gauss(total * share, (total * share) ** 0.5)))
        # The cell's observed score: a proportion in percent out of `sample` answers.
        hits = _binomial(rng, sample, score / 100) if sample else 0
        cells[key] = Cell(sample, 100.0 * hits)
    return cells


def _mixes(rng: random.Random, team_id: int, gamed: bool) -> list[SurveyMix]:
    mixes = []
    weekdays = [str(day) for day in range(7)]  # "0" is Monday, as the loader keys them
    for dimension, keys in (("channel", CHANNELS), ("weekday", tuple(weekdays))):
        base = rng.uniform(70, 85)
        scores = [min(99.0, max(1.0, base + rng.uniform(-12, 12))) for _ in keys]
        shares = _shares(rng, len(keys))
        total_before, total_now = rng.randint(400, 1500), rng.randint(400, 1500)
        if gamed:
            best = max(range(len(keys)), key=lambda i: scores[i])
            move = rng.uniform(0.20, 0.40)
            now_shares = [s * (1 - move) for s in shares]
            now_shares[best] += move
        else:
            now_shares = _wander(rng, shares, 0.05)
        mixes.append(
            SurveyMix(
                team_id,
                "csat",
                dimension,
                _cells(rng, keys, shares, scores, total_before),
                _cells(rng, keys, now_shares, scores, total_now),
            )
        )
    return mixes


def company_period(seed: int, parameters: Parameters | None = None) -> CompanyPeriod:
    """One generated period: covered teams (some gamed, one pattern each) and uncovered teams (clean)."""
    p = parameters or Parameters()
    rng = random.Random(seed)
    gamed: dict[int, str] = {}
    series, volumes, trends, mixes = [], [], [], []
    for team_id in range(1, p.covered + p.uncovered + 1):
        covered = team_id <= p.covered
        pattern = rng.choice(PATTERNS) if covered and rng.random() < p.gamed_share else None
        if pattern:
            gamed[team_id] = pattern
        volumes.append(_volume(rng, team_id, covered, pattern == "survey_drop"))
        if not covered:
            continue
        series.append(_series(rng, team_id, pattern == "threshold", p))
        trends.append(_trend(rng, team_id, pattern == "rushing"))
        mixes.extend(_mixes(rng, team_id, pattern == "survey_mix"))
    clean = tuple(t for t in range(1, p.covered + 1) if t not in gamed)
    inputs = GamingInputs(tuple(series), {"csat": tuple(volumes)}, tuple(trends), "aht", tuple(mixes))
    return CompanyPeriod(inputs, gamed, clean)
