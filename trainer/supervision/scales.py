"""Session rating rules over a scale's data: applicable items, validation, the result."""

from decimal import ROUND_HALF_UP, Decimal

from trainer.errors import DomainError

REASONS = ("mean-below", "item-below-min", "essential-below-min", "global-below-min",
           "harmful-practice")


def applicable_items(scale: dict, phase: str) -> list[dict]:
    """The scale's items that apply to a session of this phase, in file order."""
    return [item for item in scale["items"] if phase in item["phases"]]


def score_labels(scale: dict, item: dict | None = None) -> list[tuple[int, str]]:
    """Each score of the scale with its anchor's words: the scale's anchor, then the item's
    own description of that score where the item has one."""
    labels = []
    for score in range(scale["min"], scale["max"] + 1):
        words = [_anchor(scale.get("anchors"), score), _anchor((item or {}).get("anchors"), score)]
        labels.append((score, ": ".join(w for w in words if w)))
    return labels


def _anchor(anchors: dict | None, score: int) -> str:
    # Keys are integers in the file and strings once the scale has been stored as JSON.
    anchors = anchors or {}
    return anchors.get(score) or anchors.get(str(score)) or ""


def validate_rating(scale: dict, phase: str, items: object, global_score: object,
                    flags: dict[str, object]) -> dict[str, int | None]:
    """The item scores if they are exactly the applicable items in range; else DomainError."""
    problems: dict[str, list[str]] = {}
    wanted = {item["id"]: item for item in applicable_items(scale, phase)}
    if not isinstance(items, dict):
        raise DomainError("items must map item ids to scores.", field="items")
    for key in items:
        if key not in wanted:
            problems[f"items.{key}"] = [f"'{key}' is not an item of this scale for the "
                                        f"{phase} phase."]
    for key, item in wanted.items():
        message = _score_problem(scale, item, items.get(key, ...))
        if message:
            problems[f"items.{key}"] = [message]
    if _not_in_range(scale, global_score):
        problems["global"] = [f"Give a global rating from {scale['min']} to {scale['max']}."]
    for name, value in flags.items():
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems[name] = ["Describe what happened (a flag needs a description)."]
    if problems:
        raise DomainError("The rating is incomplete or out of range.", fields=problems)
    return {key: items[key] for key in wanted}


def _score_problem(scale: dict, item: dict, score) -> str | None:
    if score is ...:
        return "Rate this item."
    if score is None:
        return None if item["na_allowed"] else "This item cannot be marked not applicable."
    if _not_in_range(scale, score):
        return f"Give a whole number from {scale['min']} to {scale['max']}."
    return None


def _not_in_range(scale: dict, value) -> bool:
    return not (isinstance(value, int) and not isinstance(value, bool)
                and scale["min"] <= value <= scale["max"])


def rating_result(scale: dict, items: dict[str, int | None], global_score: int,
                  harmful: bool) -> tuple[float | None, bool, list[str]]:
    """Mean of the rated items (half-up, 2 places), competent or not, and why not."""
    by_id = {item["id"]: item for item in scale["items"]}
    rated = {key: score for key, score in items.items() if score is not None}
    mean = None
    if rated:
        exact = Decimal(sum(rated.values())) / Decimal(len(rated))
        mean = float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    reasons = []
    if mean is None or mean < scale["pass_mean"]:
        reasons.append("mean-below")
    if any(score < scale["item_min"] for score in rated.values()):
        reasons.append("item-below-min")
    if any(by_id[key]["essential"] and score < scale["essential_min"]
           for key, score in rated.items()):
        reasons.append("essential-below-min")
    if global_score < scale["global_min"]:
        reasons.append("global-below-min")
    if harmful:
        reasons.append("harmful-practice")
    return mean, not reasons, reasons


def parse_timestamp(value: str) -> int:
    """Seconds from `mm:ss` (minutes may exceed 59); ValueError when malformed."""
    minutes, _, seconds = value.strip().partition(":")
    if not (minutes.isdigit() and seconds.isdigit() and len(seconds) == 2 and
            int(seconds) < 60):
        raise ValueError(f"'{value}' is not a time as mm:ss")
    return int(minutes) * 60 + int(seconds)
