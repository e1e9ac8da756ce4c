"""Rater agreement statistics: ICC, within-one, bias, Bland–Altman, calibration status and
the agreement of pairs of raters.

Pure functions over plain numbers, as content-and-scoring.md "Rater calibration" fixes them.
Sums of squares are exact (`Fraction`), so a matrix without variation gives a denominator of
exactly zero rather than float noise. Nothing is rounded here; callers round for display,
except that the human reasons of `calibration_status` are display text themselves.

An ICC is None when it is undefined: fewer than 2 targets or 2 raters, or a zero denominator.
The ICC(2,1) denominator is never negative and is zero only when neither targets nor raters
differ (and, for a 2 × 2 matrix, whatever the residual): in particular when every score is
identical, as when a rater and the consensus give the same score to every item.
"""

import itertools
import math
import statistics
from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction

LIMITS_Z = 1.96  # 95% limits of agreement of a Bland–Altman plot

Pair = tuple[float, float]


@dataclass(frozen=True)
class MeanSquares:
    """Two-way ANOVA mean squares of an n targets × k raters matrix."""

    n: int
    k: int
    rows: Fraction
    columns: Fraction
    error: Fraction
    within: Fraction


@dataclass(frozen=True)
class Thresholds:
    """An organisation's calibration thresholds (the spec's defaults)."""

    icc: float = 0.70
    within_one: float = 0.80
    bias: float = 0.5
    min_recordings: int = 3


@dataclass(frozen=True)
class Agreement:
    """A rater's agreement with a reference over every item both rated."""

    icc: float | None
    within_one: float | None
    bias: float | None
    items: int
    recordings: int


@dataclass(frozen=True)
class PairAgreement:
    """Two raters' agreement with each other over the items both scored."""

    first: Hashable
    second: Hashable
    icc: float | None
    within_one: float | None
    items: int


def mean_squares(matrix: list[list[float]]) -> MeanSquares | None:
    """Mean squares of targets, raters, residual and within targets; None below 2 × 2."""
    n, k = len(matrix), len(matrix[0]) if matrix else 0
    if any(len(row) != k for row in matrix):
        raise ValueError("every target needs a score from every rater")
    if n < 2 or k < 2:
        return None
    cells = [[Fraction(x) for x in row] for row in matrix]
    grand = sum(map(sum, cells)) / (n * k)
    total = sum((x - grand) ** 2 for row in cells for x in row)
    rows = k * sum((sum(row) / k - grand) ** 2 for row in cells)
    columns = n * sum((sum(col) / n - grand) ** 2 for col in zip(*cells, strict=True))
    error = total - rows - columns
    return MeanSquares(
        n=n,
        k=k,
        rows=rows / (n - 1),
        columns=columns / (k - 1),
        error=error / ((n - 1) * (k - 1)),
        within=(columns + error) / (n * (k - 1)),
    )


def _ratio(numerator: Fraction, denominator: Fraction) -> float | None:
    return None if denominator == 0 else float(numerator / denominator)


def icc_2_1(matrix: list[list[float]]) -> float | None:
    """ICC(2,1): two-way random effects, absolute agreement, single rater; None if undefined."""
    ms = mean_squares(matrix)
    if ms is None:
        return None
    rater_spread = ms.k * (ms.columns - ms.error) / ms.n
    return _ratio(ms.rows - ms.error, ms.rows + (ms.k - 1) * ms.error + rater_spread)


def icc_3_1(matrix: list[list[float]]) -> float | None:
    """ICC(3,1): two-way mixed effects, consistency, single rater; None if undefined."""
    ms = mean_squares(matrix)
    if ms is None:
        return None
    return _ratio(ms.rows - ms.error, ms.rows + (ms.k - 1) * ms.error)


def icc_1_1(matrix: list[list[float]]) -> float | None:
    """ICC(1,1): one-way random effects, single rater; None if undefined."""
    ms = mean_squares(matrix)
    if ms is None:
        return None
    return _ratio(ms.rows - ms.within, ms.rows + (ms.k - 1) * ms.within)


def within_one(pairs: list[Pair]) -> float | None:
    """Share of (a, b) pairs with |a − b| ≤ 1; None without pairs."""
    if not pairs:
        return None
    return sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs)


def bias(pairs: list[Pair]) -> float | None:
    """Mean of (rater − reference) over (rater, reference) pairs; None without pairs."""
    if not pairs:
        return None
    return math.fsum(a - b for a, b in pairs) / len(pairs)


def bland_altman(pairs: list[Pair]) -> dict:
    """Bland–Altman points and 95% limits of agreement (sample SD); None where undefined."""
    differences = [a - b for a, b in pairs]
    sd = statistics.stdev(differences) if len(pairs) >= 2 else None
    mean_difference = bias(pairs)
    half_width = None if sd is None else LIMITS_Z * sd
    return {
        "means": [(a + b) / 2 for a, b in pairs],
        "differences": differences,
        "mean_difference": mean_difference,
        "sd_difference": sd,
        "lower_limit": None if half_width is None else mean_difference - half_width,
        "upper_limit": None if half_width is None else mean_difference + half_width,
    }


def item_pairs(ratings: list[tuple[dict, dict]]) -> dict[str, list[tuple[int, int]]]:
    """(rater, reference) score pairs per item, over items both rated, across recordings."""
    by_item: dict[str, list[tuple[int, int]]] = {}
    for rater, reference in ratings:
        for item, score in rater.items():
            if score is not None and reference.get(item) is not None:
                by_item.setdefault(item, []).append((score, reference[item]))
    return by_item


def agreement(ratings: list[tuple[dict[str, int | None], dict[str, int | None]]]) -> Agreement:
    """Agreement of a rater with a reference over every item both rated, recording by recording."""
    pairs = [pair for item in item_pairs(ratings).values() for pair in item]
    return Agreement(
        icc=icc_2_1([list(pair) for pair in pairs]),
        within_one=within_one(pairs),
        bias=bias(pairs),
        items=len(pairs),
        recordings=len(ratings),
    )


def pairwise_agreement(scores: dict[Hashable, dict[str, int | None]]) -> list[PairAgreement]:
    """ICC(2,1) and within-one of every pair of raters of one target, in the order given,
    over the items both scored (N/A and missing items left out)."""
    result = []
    for first, second in itertools.combinations(scores, 2):
        pairs = [(score, scores[second][item]) for item, score in scores[first].items()
                 if score is not None and scores[second].get(item) is not None]
        result.append(PairAgreement(first, second, icc_2_1([list(pair) for pair in pairs]),
                                    within_one(pairs), len(pairs)))
    return result


def _number(value: float, places: int, limit: float | None = None, sign: str = "") -> str:
    # Extra places keep a value that misses a limit from reading as the limit ("0.70 below 0.70").
    while limit is not None and places < 6 and round(value, places) == round(limit, places):
        places += 1
    return f"{value:{sign}.{places}f}"


def _limit(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    return text if float(text) == value else f"{value:g}"


def _recordings_reason(a: Agreement, t: Thresholds) -> str | None:
    if a.recordings >= t.min_recordings:
        return None
    noun = "recording" if t.min_recordings == 1 else "recordings"
    return f"{t.min_recordings} gold-standard {noun} needed, {a.recordings} rated"


def _icc_reason(a: Agreement, t: Thresholds) -> str | None:
    if a.icc is None:
        return "ICC cannot be computed: too few items rated or no spread in the scores"
    if a.icc >= t.icc:
        return None
    return f"ICC {_number(a.icc, 2, t.icc)} below {_limit(t.icc, 2)}"


def _within_one_reason(a: Agreement, t: Thresholds) -> str | None:
    if a.within_one is None:
        return "within one point cannot be computed: no items rated by both"
    if a.within_one >= t.within_one:
        return None
    share = _number(a.within_one * 100, 0, t.within_one * 100)
    return f"within one point {share}% below {_limit(t.within_one * 100, 0)}%"


def _bias_reason(a: Agreement, t: Thresholds) -> str | None:
    if a.bias is None:
        return "bias cannot be computed: no items rated by both"
    if abs(a.bias) <= t.bias:
        return None
    shown = _number(a.bias, 2, math.copysign(t.bias, a.bias), "+")
    return f"bias {shown} beyond ±{t.bias:g}"


def calibration_status(a: Agreement, t: Thresholds) -> tuple[bool, list[str]]:
    """Calibrated or not by the spec's rule, with a human reason per unmet condition."""
    checks = (_recordings_reason, _icc_reason, _within_one_reason, _bias_reason)
    reasons = [reason for check in checks if (reason := check(a, t)) is not None]
    return not reasons, reasons


def item_disagreement(pairs_by_item: dict[str, list[tuple[int, int]]]) -> list[tuple[str, float]]:
    """Items by mean absolute difference, largest first (ties by name); empty items left out."""
    means = [
        (item, math.fsum(abs(a - b) for a, b in pairs) / len(pairs))
        for item, pairs in pairs_by_item.items()
        if pairs
    ]
    return sorted(means, key=lambda entry: (-entry[1], entry[0]))
