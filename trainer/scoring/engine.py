"""Vignette scoring engine: validates answers and scores an attempt exactly as the spec fixes it.

Pure functions over the vignette dict as loaded from YAML (defaults applied here), with no
Flask and no database. Arithmetic is exact (`Fraction`); only the reported numbers are
rounded, half-up to 4 places. Nothing is cached: a vignette dict may change between calls.
"""

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from trainer.errors import DomainError

CHOSE_CRITICAL = "chose-critical"
OMITTED_REQUIRED = "omitted-required"
PLACES = 10_000  # 4 decimal places


class AnswerError(DomainError):
    """Answers that cannot be scored; `fields` maps each answer path to its messages."""


@dataclass(frozen=True)
class CriticalError:
    """A critical option chosen, or a required option left out."""

    stage: str
    option: str
    kind: str


@dataclass(frozen=True)
class StageResult:
    """One stage's outcome: its rounded score (None while a text stage awaits a rating)."""

    id: str
    kind: str
    score: float | None
    selected: tuple[str, ...]
    text: str | None
    level: int | None


@dataclass(frozen=True)
class AttemptResult:
    """A scored attempt: rounded score, status and the details behind them."""

    score: float | None
    provisional: bool
    status: str
    stages: tuple[StageResult, ...]
    critical_errors: tuple[CriticalError, ...]


# --- rubric -------------------------------------------------------------------------------


def option_points(stage: dict) -> dict[str, int]:
    """Map each option id to its points, or to its panel count on a panel stage."""
    key = "panel" if stage.get("scoring") == "panel" else "points"
    return {option["id"]: option[key] for option in stage.get("options", ())}


def max_choices(stage: dict) -> int | None:
    """How many options a stage accepts: 1 for single, None for text."""
    if stage["kind"] == "multiple":
        return stage.get("max_choices") or len(stage["options"])
    return 1 if stage["kind"] == "single" else None


def stage_max(stage: dict) -> int:
    """The stage maximum: largest points (single, panel), sum of the best positives (multiple).

    For a text stage it is the highest level score.
    """
    if stage["kind"] == "text":
        return max(level["score"] for level in stage["levels"])
    values = option_points(stage).values()
    if stage["kind"] == "single":
        return max(values)
    return sum(sorted((v for v in values if v > 0), reverse=True)[: max_choices(stage)])


def expert_key(stage: dict) -> list[str]:
    """The expert answer's option ids, in file order; [] for a text stage."""
    if stage["kind"] == "text":
        return []
    points = option_points(stage)
    if stage["kind"] == "single":
        best = max(points.values())
        return [oid for oid, value in points.items() if value == best]
    ranked = sorted((oid for oid, value in points.items() if value > 0), key=lambda o: -points[o])
    chosen = set(ranked[: max_choices(stage)])  # sorted() is stable: ties keep file order
    return [oid for oid in points if oid in chosen]


# --- validation ---------------------------------------------------------------------------


def validate_answers(vignette: dict, answers: object) -> dict[str, list[str] | str]:
    """Return the answers normalised in stage order, or raise AnswerError with every problem."""
    normalised, problems = _check_answers(vignette, answers)
    _raise_if(problems)
    return normalised


def _raise_if(problems: dict[str, list[str]]) -> None:
    if not problems:
        return
    messages = [message for field in problems.values() for message in field]
    summary = messages[0] if len(messages) == 1 else f"{len(messages)} problems with the answers."
    raise AnswerError(summary, fields=problems)


def _check_answers(vignette: dict, answers: object) -> tuple[dict, dict[str, list[str]]]:
    if not isinstance(answers, dict):
        return {}, {"answers": ["Send the answers as an object keyed by stage id."]}
    normalised, problems = {}, {}
    for stage in vignette["stages"]:
        field = f"answers.{stage['id']}"
        if stage["id"] not in answers:
            problems[field] = ["Answer this stage."]
            continue
        value, messages = _check_stage(stage, answers[stage["id"]])
        if messages:
            problems[field] = messages
        else:
            normalised[stage["id"]] = value
    known = {stage["id"] for stage in vignette["stages"]}
    for key in answers:
        if key not in known:
            problems[f"answers.{key}"] = [f"Unknown stage '{key}'."]
    return normalised, problems


def _check_stage(stage: dict, value: object) -> tuple[list[str] | str | None, list[str]]:
    if stage["kind"] == "text":
        return _check_text(value)
    return _check_choices(stage, value)


def _check_text(value: object) -> tuple[str | None, list[str]]:
    if not isinstance(value, str):
        return None, ["Write the answer as text."]
    if not value.strip():
        return None, ["Write an answer: it cannot be blank."]
    return value.strip(), []


def _check_choices(stage: dict, value: object) -> tuple[list[str] | None, list[str]]:
    if not isinstance(value, list):
        return None, ["Send the choices as a list of option ids."]
    if not all(isinstance(item, str) for item in value):
        return None, ["Each choice must be an option id (text)."]
    messages = _count_problems(stage, len(value)) + _id_problems(stage, value)
    return list(value), messages


def _count_problems(stage: dict, count: int) -> list[str]:
    if stage["kind"] == "single":
        return [] if count == 1 else ["Choose exactly one option."]
    if count == 0:
        return ["Choose at least one option."]
    limit = max_choices(stage)
    if count > limit:
        return [f"Choose at most {limit} option{'' if limit == 1 else 's'}."]
    return []


def _id_problems(stage: dict, chosen: list[str]) -> list[str]:
    known = {option["id"] for option in stage["options"]}
    counts = Counter(chosen)
    unknown = [f"Unknown option '{oid}'." for oid in counts if oid not in known]
    repeated = [f"Option '{oid}' is chosen more than once." for oid, n in counts.items() if n > 1]
    return unknown + repeated


def _check_levels(vignette: dict, text_levels: object) -> dict[str, list[str]]:
    if text_levels is None:
        return {}
    if not isinstance(text_levels, dict):
        return {"text_levels": ["Send the levels as an object keyed by stage id."]}
    stages = {stage["id"]: stage for stage in vignette["stages"]}
    problems = {}
    for key, level in text_levels.items():
        message = _level_problem(stages.get(key), level)
        if message:
            problems[f"text_levels.{key}"] = [message]
    return problems


def _level_problem(stage: dict | None, level: object) -> str | None:
    if stage is None or stage["kind"] != "text":
        return "Only a text stage of this vignette can be rated with a level."
    scores = [item["score"] for item in stage["levels"]]
    if level is None or (type(level) is int and level in scores):
        return None
    return f"Choose one of the levels {', '.join(map(str, scores))}."


# --- scoring ------------------------------------------------------------------------------


def score_attempt(
    vignette: dict, answers: dict, text_levels: dict[str, int] | None = None
) -> AttemptResult:
    """Score one attempt: stage scores, vignette score, critical errors and status.

    `text_levels` maps a text stage id to the supervisor's level (absent or None: pending).
    Raises AnswerError, listing every problem, before anything is scored.
    """
    normalised, problems = _check_answers(vignette, answers)
    problems.update(_check_levels(vignette, text_levels))
    _raise_if(problems)
    return _score(vignette, normalised, text_levels or {})


def validate_and_score(vignette: dict, answers: object) -> tuple[dict, AttemptResult]:
    """validate_answers and score_attempt (no text levels yet) with one pass of checks."""
    normalised, problems = _check_answers(vignette, answers)
    _raise_if(problems)
    return normalised, _score(vignette, normalised, {})


def _score(vignette: dict, normalised: dict, levels: dict) -> AttemptResult:
    exact, results, critical = [], [], []
    for stage in vignette["stages"]:
        answer, level = normalised[stage["id"]], levels.get(stage["id"])
        exact.append((_exact(stage.get("weight", 1)), _stage_fraction(stage, answer, level)))
        results.append(_stage_result(stage, answer, level, exact[-1][1]))
        critical.extend(_critical_errors(stage, answer))
    return _attempt_result(vignette, exact, tuple(results), tuple(critical))


def _stage_fraction(stage: dict, answer: list[str] | str, level: int | None) -> Fraction | None:
    if stage["kind"] == "text":
        return None if level is None else Fraction(level, stage_max(stage))
    points = option_points(stage)
    top = stage_max(stage)
    return Fraction(min(max(sum(points[oid] for oid in answer), 0), top), top)


def _stage_result(
    stage: dict, answer: list[str] | str, level: int | None, score: Fraction | None
) -> StageResult:
    is_text = stage["kind"] == "text"
    return StageResult(
        id=stage["id"],
        kind=stage["kind"],
        score=None if score is None else _round(score) / PLACES,
        selected=() if is_text else tuple(answer),
        text=answer if is_text else None,
        level=level if is_text else None,
    )


def _critical_errors(stage: dict, answer: list[str] | str) -> list[CriticalError]:
    if stage["kind"] == "text":
        return []
    chosen = set(answer)
    errors = []
    for option in stage["options"]:
        if option.get("critical") and option["id"] in chosen:
            errors.append(CriticalError(stage["id"], option["id"], CHOSE_CRITICAL))
        elif option.get("required") and option["id"] not in chosen:
            errors.append(CriticalError(stage["id"], option["id"], OMITTED_REQUIRED))
    return errors


def _attempt_result(vignette: dict, exact: list, stages: tuple, critical: tuple) -> AttemptResult:
    score = _weighted_score(exact)
    pending = any(value is None for _, value in exact)
    status = _status(bool(critical), pending, score, vignette["pass_mark"])
    return AttemptResult(
        score=None if score is None else score / PLACES,
        provisional=status == "pending",
        status=status,
        stages=stages,
        critical_errors=critical,
    )


def _status(critical: bool, pending: bool, score: int | None, pass_mark: float) -> str:
    """Failed on a critical error, pending while a text stage is unrated, else by pass mark."""
    if critical:
        return "failed"
    if pending:
        return "pending"
    return "passed" if Fraction(score, PLACES) >= _exact(pass_mark) else "failed"


def _weighted_score(exact: list[tuple[Fraction, Fraction | None]]) -> int | None:
    """Σ weight · score / Σ weight over the scored stages in 1/10000ths; None when none is."""
    scored = [(weight, value) for weight, value in exact if value is not None]
    if not scored:
        return None
    total = sum(weight * value for weight, value in scored)
    return _round(total / sum(weight for weight, _ in scored))


def _round(value: Fraction) -> int:
    """Round a non-negative fraction half-up to a whole number of 1/10000ths, exactly."""
    numerator, denominator = value.numerator, value.denominator
    return (2 * numerator * PLACES + denominator) // (2 * denominator)


def _exact(number: int | float) -> Fraction:
    """The number as written in the file: 0.7 is 7/10, not the nearest binary float."""
    return Fraction(number) if isinstance(number, int) else Fraction(str(number))
