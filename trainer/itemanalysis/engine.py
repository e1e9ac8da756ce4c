"""Item analysis in the manner of Moodle's quiz statistics: pure functions over plain data.

The definitions are content-and-scoring.md's ("Item analysis"). Item scores carry at most
4 decimal places (the scoring engine rounds them so), so they are counted here in units of
1/10,000: every sum, spread and comparison with zero is exact, and only the reported
correlations and square roots are floats. An attempt that asked none of the items (a
vignette whose only stage is a text stage still pending) is not in the analysis.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from trainer.scoring.engine import expert_key

SCALE = 10_000  # units per score point
MIN_ATTEMPTS = 30  # fewer: "too few to judge", no other flag, no alpha
GROUP_PERCENT = 27  # the upper and lower groups: ceil(27 % of n) attempts each
EASY, HARD, LOW_DISCRIMINATION = Fraction(95, 100), Fraction(20, 100), 0.15


@dataclass(frozen=True)
class Option:
    """An option of an item; keyed when it is in the expert key (a correct check option)."""

    id: str
    keyed: bool


@dataclass(frozen=True)
class Item:
    """A check question or a vignette stage, with its options in file order."""

    id: str
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Response:
    """One attempt: its id (ties in T go to the older), and for each item it asked the item
    score (0 to 1) and the options chosen."""

    attempt_id: int
    scores: dict[str, float]
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class OptionStats:
    """How often an option was chosen: overall, and within the upper and lower groups (None
    when the item has too few attempts for groups)."""

    id: str
    keyed: bool
    chosen: int
    upper: int | None
    lower: int | None


@dataclass(frozen=True)
class ItemStats:
    """One item's figures (None where undefined) and flags."""

    id: str
    n: int
    facility: float | None
    discrimination: float | None
    upper_lower: float | None
    options: tuple[OptionStats, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    """The whole check's or vignette's figures, and each item's."""

    n: int
    mean: float | None
    sd: float | None
    alpha: float | None
    items: tuple[ItemStats, ...]


@dataclass(frozen=True)
class _Row:
    attempt_id: int
    units: dict[str, int]  # item id -> score in units, for the items asked
    total: int  # T in units
    chosen: dict[str, tuple[str, ...]]


# --- building the input from content and attempts --------------------------------------


def check_items(check: dict) -> list[Item]:
    """A module check's questions (the whole pool) as items; keyed = `correct`."""
    return [Item(q["id"], tuple(Option(o["id"], bool(o["correct"])) for o in q["options"]))
            for q in check["questions"]]


def vignette_items(vignette: dict) -> list[Item]:
    """A vignette's stages as items; keyed = in the stage's expert key (text: no options)."""
    items = []
    for stage in vignette["stages"]:
        key = set(expert_key(stage))
        items.append(Item(stage["id"], tuple(Option(o["id"], o["id"] in key)
                                             for o in stage.get("options", ()))))
    return items


def check_response(attempt_id: int, results: dict, answers: dict) -> Response:
    """A check attempt: the questions it asked are the keys of its results (pools)."""
    return Response(attempt_id, {qid: 1.0 if right else 0.0 for qid, right in results.items()},
                    {qid: _once(answers.get(qid)) for qid in results})


def vignette_response(attempt_id: int, stage_results: list[dict]) -> Response:
    """A vignette attempt: its scored stages (a text stage still pending is left out)."""
    scored = [r for r in stage_results if r.get("score") is not None]
    return Response(attempt_id, {r["id"]: r["score"] for r in scored},
                    {r["id"]: _once(r.get("selected")) for r in scored})


def _once(chosen) -> tuple[str, ...]:
    """The options of an answer, each once (a list of ids; a text answer chose none)."""
    return tuple(dict.fromkeys(chosen)) if isinstance(chosen, list) else ()


# --- the statistics --------------------------------------------------------------------


def analyse(items: list[Item], responses: list[Response]) -> Analysis:
    """Every figure of the definitions, over the responses given (first or all attempts)."""
    ids = {item.id for item in items}
    rows = [_row(response, ids) for response in responses]
    # ranked once, highest T first, ties by attempt id (oldest first): every item's attempts
    # are then in the order its upper and lower groups are drawn from
    rows = sorted((row for row in rows if row.units), key=lambda row: (-row.total, row.attempt_id))
    totals = [row.total for row in rows]
    return Analysis(n=len(rows), mean=_mean(totals), sd=_sd(totals),
                    alpha=_alpha(items, rows), items=tuple(_item(item, rows) for item in items))


def _row(response: Response, ids: set[str]) -> _Row:
    units = {i: round(score * SCALE) for i, score in response.scores.items() if i in ids}
    return _Row(response.attempt_id, units, sum(units.values()), response.chosen)


def _mean(values: list[int]) -> float | None:
    return sum(values) / (len(values) * SCALE) if values else None


def _spread(values: list[int]) -> int:
    """n Σv² − (Σv)², which is n (n − 1) times the sample variance: exact, never negative."""
    return len(values) * sum(v * v for v in values) - sum(values) ** 2


def _sd(values: list[int]) -> float | None:
    n = len(values)
    return math.sqrt(_spread(values) / (n * (n - 1))) / SCALE if n >= 2 else None


def pearson(xs: list[int], ys: list[int]) -> float | None:
    """The Pearson correlation; None under 3 pairs or when either has no variance."""
    n = len(xs)
    if n < 3:
        return None
    sxx, syy = _spread(xs), _spread(ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sum(xs) * sum(ys)
    return max(-1.0, min(1.0, sxy / (math.sqrt(sxx) * math.sqrt(syy))))


def group_size(n: int) -> int:
    """ceil(0.27 n), in integers (0.27 * 100 is 27.000000000000004 in floating point)."""
    return (GROUP_PERCENT * n + 99) // 100


def _groups(ranked: list[_Row]) -> tuple[list[_Row], list[_Row]] | tuple[None, None]:
    """The upper and lower groups of attempts already ranked; None under 4 attempts."""
    if len(ranked) < 4:
        return None, None
    size = group_size(len(ranked))
    return ranked[:size], ranked[-size:]


def _alpha(items: list[Item], rows: list[_Row]) -> float | None:
    """Cronbach's alpha (KR-20 for right/wrong items) over the attempts that asked every
    item; None when k < 2, fewer than 30 such attempts, or var(T) = 0."""
    k = len(items)
    complete = [row for row in rows if all(item.id in row.units for item in items)]
    if k < 2 or len(complete) < MIN_ATTEMPTS:
        return None
    total_spread = _spread([row.total for row in complete])
    if total_spread == 0:
        return None
    item_spread = sum(_spread([row.units[item.id] for row in complete]) for item in items)
    return float(Fraction(k, k - 1) * (1 - Fraction(item_spread, total_spread)))


def _item(item: Item, rows: list[_Row]) -> ItemStats:
    asked = [row for row in rows if item.id in row.units]
    xs = [row.units[item.id] for row in asked]
    upper, lower = _groups(asked)
    facility = Fraction(sum(xs), len(xs) * SCALE) if xs else None
    discrimination = pearson(xs, [row.total - x for row, x in zip(asked, xs, strict=True)])
    upper_lower = None if upper is None else (
        sum(r.units[item.id] for r in upper) - sum(r.units[item.id] for r in lower)
    ) / (len(upper) * SCALE)
    counts = [_choices(item.id, group) for group in (asked, upper, lower)]
    options = tuple(_option(option, *counts) for option in item.options)
    return ItemStats(item.id, len(asked), None if facility is None else float(facility),
                     discrimination, upper_lower, options,
                     flags(len(asked), facility, discrimination, options))


def _choices(item_id: str, rows: list[_Row] | None) -> Counter | None:
    """How many of the rows chose each option of the item."""
    if rows is None:
        return None
    return Counter(option for row in rows for option in row.chosen.get(item_id, ()))


def _option(option: Option, chosen: Counter, upper: Counter | None,
            lower: Counter | None) -> OptionStats:
    return OptionStats(option.id, option.keyed, chosen[option.id],
                       None if upper is None else upper[option.id],
                       None if lower is None else lower[option.id])


def flags(n: int, facility: Fraction | None, discrimination: float | None,
          options: tuple[OptionStats, ...]) -> tuple[str, ...]:
    """What a content author acts on; under 30 attempts only `too-few`."""
    if n < MIN_ATTEMPTS:
        return ("too-few",)
    found = ["easy"] if facility > EASY else ["hard"] if facility < HARD else []
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        found.append("low-discrimination")
    found += [f"unused-option:{o.id}" for o in options if o.chosen == 0]
    keyed = [o.upper for o in options if o.keyed]
    if keyed:
        found += [f"distractor-upper:{o.id}" for o in options
                  if not o.keyed and o.upper > max(keyed)]
    return tuple(found)
