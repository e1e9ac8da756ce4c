"""Competency estimate engine: evidence items to an estimate and a level, as the spec fixes it.

Pure functions over the framework dict as parsed from `competencies.yaml` (defaults applied
here) and plain evidence items, with no Flask and no database. Each item's value puts its
source's pass standard on the competent level's `min` (c); the estimate of a competency is
the weighted mean of the values of its kept items (per source, the newest `window` items by
(time, order)), rounded half-up to 4 places.

Arithmetic is exact (`Fraction`): a float is taken as the decimal it prints as (0.7 is 7/10,
not the nearest binary fraction), so a mean that lands on a half rounds up as written.

The helpers `quiz_items`, `vignette_items` and `rating_items` turn plain dicts into evidence
items; choosing which attempts count (the latest per module and per vignette, submitted
supervisor ratings only, never self-ratings) is the caller's job.
"""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from functools import lru_cache

SOURCES = ("quiz", "vignette", "session_rating")
DEFAULT_WEIGHTS = {"quiz": 0.5, "vignette": 1.0, "session_rating": 2.0}
DEFAULT_MIN_EVIDENCE = 3
DEFAULT_WINDOW = 10
PLACES = 10_000  # 4 decimal places


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence: raw fraction f against pass standard p, tagged with competencies.

    `order` breaks ties within one attempt or rating: a higher order is newer (a later stage
    or item in the file).
    """

    source: str
    time: datetime
    order: int
    competencies: tuple[str, ...]
    f: float
    p: float


@dataclass(frozen=True)
class CompetencyEstimate:
    """One competency's estimate (None without evidence), level and kept evidence."""

    id: str
    title: str
    estimate: float | None
    level: int
    evidence_count: int
    has_observed_evidence: bool


# --- value --------------------------------------------------------------------------------


def item_value(f: float, p: float, c: float) -> float:
    """Map raw fraction f with pass standard p so that f == p lands on the competent min c."""
    return float(_value(_exact(f), _exact(p), _exact(c)))


def _value(f: Fraction, p: Fraction, c: Fraction) -> Fraction:
    _check_fraction(f, p)
    if f < p:
        return c * f / p
    if p == 1:
        return Fraction(1)
    return c + (1 - c) * (f - p) / (1 - p)


def _check_fraction(f: Fraction, p: Fraction) -> None:
    if not 0 <= f <= 1:
        raise ValueError(f"raw fraction {float(f)} is outside [0, 1]")
    # p = 0 (a scale whose pass mean is its minimum) is outside the spec's (0, 1] but harmless:
    # f >= p always holds, so the formula never divides by p.
    if not 0 <= p <= 1:
        raise ValueError(f"pass standard {float(p)} is outside [0, 1]")


# --- framework settings -------------------------------------------------------------------


def _levels(framework: dict) -> list[dict]:
    """The levels, lowest first."""
    return sorted(framework["levels"], key=lambda level: _exact(level["min"]))


def _competent_index(levels: list[dict]) -> int:
    for index, level in enumerate(levels):
        if level.get("competent"):
            return index
    raise ValueError("the framework marks no level as competent")


def competent_min(framework: dict) -> float:
    """The competent level's `min` (c in the value mapping)."""
    levels = _levels(framework)
    return levels[_competent_index(levels)]["min"]


def _weights(framework: dict) -> dict[str, Fraction]:
    weights = {**DEFAULT_WEIGHTS, **(framework.get("source_weights") or {})}
    return {source: _exact(weights[source]) for source in SOURCES}


# --- level --------------------------------------------------------------------------------


def level_for(
    framework: dict,
    estimate: float | None,
    evidence_count: int,
    observed: bool,
    has_session_rating: bool,
) -> int:
    """The level for an estimate: 0 below min_evidence, capped for observed without ratings."""
    min_evidence = framework.get("min_evidence", DEFAULT_MIN_EVIDENCE)
    if estimate is None or evidence_count < min_evidence:
        return 0
    levels = _levels(framework)
    reached = [level["level"] for level in levels if _exact(level["min"]) <= _exact(estimate)]
    level = max(reached, default=0)
    if observed and not has_session_rating:
        return min(level, _cap(levels))
    return level


def _cap(levels: list[dict]) -> int:
    """The level just below the competent one (0 when the competent level is the lowest)."""
    index = _competent_index(levels)
    return levels[index - 1]["level"] if index else 0


# --- estimate -----------------------------------------------------------------------------


def estimate_competencies(framework: dict, items: list[EvidenceItem]) -> list[CompetencyEstimate]:
    """One estimate per competency of the framework, in file order."""
    unknown = {item.source for item in items} - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown evidence source(s): {', '.join(sorted(unknown))}")
    return [_estimate(framework, competency, items) for competency in framework["competencies"]]


def estimate_history(framework: dict, items: list[EvidenceItem],
                     days: list[date]) -> list[list[CompetencyEstimate]]:
    """The estimates as they stood at the end of each day of `days` (ascending): exactly
    estimate_competencies over the items up to that day, each day's, in one pass over the
    items per competency (the newest `window` items per source are kept as the days go by,
    and the weighted sums move by the items that come and go, in exact fractions)."""
    unknown = {item.source for item in items} - set(SOURCES)
    if unknown:
        raise ValueError(f"unknown evidence source(s): {', '.join(sorted(unknown))}")
    window = framework.get("window", DEFAULT_WINDOW)
    if window < 1:  # kept_items' slice keeps everything then: no window to slide
        return [estimate_competencies(framework, [i for i in items if i.time.date() <= day])
                for day in days]
    ordered = sorted(items, key=lambda item: (item.time, item.order))  # stable, as kept_items
    columns = [_history_of(framework, competency, ordered, days, window)
               for competency in framework["competencies"]]
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in days]


def _history_of(framework: dict, competency: dict, ordered: list[EvidenceItem],
                days: list[date], window: int) -> list[CompetencyEstimate]:
    weights, c = _framework_constants(framework)
    tagged = [item for item in ordered if competency["id"] in item.competencies]
    kept = {source: deque() for source in SOURCES}
    total = weight = Fraction(0)
    ratings = index = 0
    found = []
    for day in days:
        while index < len(tagged) and tagged[index].time.date() <= day:
            item, index = tagged[index], index + 1
            queue = kept[item.source]
            if len(queue) == window:  # the source's oldest kept item drops out
                old = queue.popleft()
                total -= weights[old.source] * _cached_value(old.f, old.p, c)
                weight -= weights[old.source]
                ratings -= old.source == "session_rating"
            queue.append(item)
            total += weights[item.source] * _cached_value(item.f, item.p, c)
            weight += weights[item.source]
            ratings += item.source == "session_rating"
        count = sum(len(items) for items in kept.values())
        estimate = _round(total / weight) / PLACES if count else None
        found.append(CompetencyEstimate(
            id=competency["id"], title=competency["title"], estimate=estimate,
            level=level_for(framework, estimate, count, competency.get("observed", False),
                            ratings > 0),
            evidence_count=count, has_observed_evidence=ratings > 0))
    return found


def _estimate(framework: dict, competency: dict, items: list[EvidenceItem]) -> CompetencyEstimate:
    tagged = [item for item in items if competency["id"] in item.competencies]
    kept = kept_items(tagged, framework.get("window", DEFAULT_WINDOW))
    estimate = _weighted_mean(framework, kept)
    observed = any(item.source == "session_rating" for item in kept)
    level = level_for(framework, estimate, len(kept), competency.get("observed", False), observed)
    return CompetencyEstimate(
        id=competency["id"],
        title=competency["title"],
        estimate=estimate,
        level=level,
        evidence_count=len(kept),
        has_observed_evidence=observed,
    )


def kept_items(items: list[EvidenceItem], window: int) -> list[EvidenceItem]:
    """Of each source, the newest `window` items by (time, order); equal keys: later in input."""
    kept = []
    for source in SOURCES:
        of_source = [item for item in items if item.source == source]
        kept += sorted(of_source, key=lambda item: (item.time, item.order))[-window:]
    return kept


def _weighted_mean(framework: dict, kept: list[EvidenceItem]) -> float | None:
    """Σ weight · value / Σ weight, rounded half-up to 4 places; None without items."""
    if not kept:
        return None
    weights, c = _framework_constants(framework)
    total = sum(weights[item.source] * _cached_value(item.f, item.p, c) for item in kept)
    return _round(total / sum(weights[item.source] for item in kept)) / PLACES


def _framework_constants(framework: dict) -> tuple[dict[str, Fraction], float]:
    """The source weights and c, read once per framework dict (they do not change)."""
    key = id(framework)
    cached = _CONSTANTS.get(key)
    if cached is None or cached[0] is not framework:
        cached = (framework, _weights(framework), competent_min(framework))
        _CONSTANTS.clear()  # one framework is in use at a time; never hold stale ones
        _CONSTANTS[key] = cached
    return cached[1], cached[2]


_CONSTANTS: dict[int, tuple] = {}


@lru_cache(maxsize=65536)
def _cached_value(f: float, p: float, c: float) -> Fraction:
    """The exact value of an item; evidence repeats the same few (f, p) pairs very often."""
    return _value(_exact(f), _exact(p), _exact(c))


def _round(value: Fraction) -> int:
    """Round a non-negative fraction half-up to a whole number of 1/10000ths, exactly."""
    numerator, denominator = value.numerator, value.denominator
    return (2 * numerator * PLACES + denominator) // (2 * denominator)


def _exact(number: int | float | Fraction) -> Fraction:
    """The number as written: a float is read as the decimal it prints as."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


# --- evidence from plain dicts ------------------------------------------------------------


def quiz_items(attempts: Iterable[dict]) -> list[EvidenceItem]:
    """One quiz item per check attempt: f = fraction right, p = the module's pass mark.

    Each attempt is {"time", "fraction", "pass_mark", "competencies"} (the module's). Pass
    only the latest attempt of each module: retakes replace, they do not add.
    """
    return [
        EvidenceItem("quiz", attempt["time"], 0, tuple(attempt["competencies"]),
                     attempt["fraction"], attempt["pass_mark"])
        for attempt in attempts
    ]


def vignette_items(attempts: Iterable[dict]) -> list[EvidenceItem]:
    """One vignette item per scored stage: f = stage score, p = the vignette's pass mark.

    Each attempt is {"time", "pass_mark", "stages": [{"score", "competencies"}]} with the
    stages in file order; an optional attempt-level "competencies" (the vignette's) stands in
    for a stage that names none. Unscored stages (score None) are skipped; order = the stage's
    index, so a later stage is newer. Pass only the latest submitted attempt of each vignette.
    """
    items = []
    for attempt in attempts:
        fallback = tuple(attempt.get("competencies") or ())
        for index, stage in enumerate(attempt["stages"]):
            if stage["score"] is None:
                continue
            tags = tuple(stage.get("competencies") or ()) or fallback
            items.append(EvidenceItem("vignette", attempt["time"], index, tags,
                                      stage["score"], attempt["pass_mark"]))
    return items


def rating_items(ratings: Iterable[dict]) -> list[EvidenceItem]:
    """One session_rating item per rated item: scores and pass_mean mapped onto [0, 1].

    Each rating is {"time", "scale_min", "scale_max", "pass_mean", "items": [{"score",
    "competencies"}]} with the items in the scale's order; f = (score - min) / (max - min),
    p = (pass_mean - min) / (max - min). N/A items (score None) are skipped; order = the
    item's index. Pass only submitted supervisor ratings, never self-ratings.
    """
    items = []
    for rating in ratings:
        low, span = rating["scale_min"], rating["scale_max"] - rating["scale_min"]
        p = float((_exact(rating["pass_mean"]) - low) / span)
        for index, entry in enumerate(rating["items"]):
            if entry["score"] is None:
                continue
            items.append(EvidenceItem("session_rating", rating["time"], index,
                                      tuple(entry["competencies"]),
                                      float(Fraction(entry["score"] - low, span)), p))
    return items
