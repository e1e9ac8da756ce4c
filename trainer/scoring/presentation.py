"""The order options reach a trainee in, and the questions a check attempt asks.

Pure functions (no Flask, no database). Every order is drawn from a seed derived from the
secret key, the trainee, the item and the number of the attempt, so the same attempt always
sees the same order (a GET stays read-only and a reload changes nothing) and the next
attempt gets a new one. The secret keeps the order unpredictable to anyone without it.
"""

import hashlib
import hmac
import random


def seed(secret: str | bytes, *parts: object) -> int:
    """A 64-bit seed from the secret key and the parts (trainee, item, attempt number)."""
    key = secret.encode() if isinstance(secret, str) else secret
    message = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:8], "big")


def option_order(item: dict, item_seed: int) -> list[str]:
    """The option ids of a stage or question in the order shown: shuffled unless the item
    says `shuffle: false`, with an option marked `fixed: last` kept last."""
    options = item.get("options") or []
    fixed = [o["id"] for o in options if o.get("fixed") == "last"]
    free = [o["id"] for o in options if o.get("fixed") != "last"]
    if item.get("shuffle", True):
        random.Random(item_seed).shuffle(free)  # noqa: S311  (an order, not a secret)  # nosec B311
    return free + fixed


def vignette_order(stages: list[dict], secret, user_id: int, organisation_id: int,
                   key: str, number: int) -> dict[str, list[str]]:
    """Stage id -> option ids as shown, for one trainee's attempt `number` at a vignette."""
    return {stage["id"]: option_order(stage, seed(secret, "vignette", organisation_id, user_id,
                                                  key, number, stage["id"]))
            for stage in stages if stage.get("options")}


def draw_questions(check: dict, draw_seed: int) -> list[dict]:
    """The questions one check attempt asks, in the order asked: `ask` of them (default
    all), spread across the module's competencies as evenly as the pool allows."""
    questions = list(check["questions"])
    rng = random.Random(draw_seed)  # noqa: S311  # nosec B311
    asked = min(check.get("ask") or len(questions), len(questions))
    groups = _by_competency(questions)
    for group in groups:
        rng.shuffle(group)
    rng.shuffle(groups)
    chosen: list[dict] = []
    while len(chosen) < asked:
        for group in groups:  # one from each competency in turn (round robin)
            if group and len(chosen) < asked:
                chosen.append(group.pop())
    rng.shuffle(chosen)
    return chosen


def _by_competency(questions: list[dict]) -> list[list[dict]]:
    """Questions grouped by their first competency tag (untagged ones form one group)."""
    groups: dict[str, list[dict]] = {}
    for question in questions:
        tags = question.get("competencies") or []
        groups.setdefault(tags[0] if tags else "", []).append(question)
    return list(groups.values())


def check_presentation(check: dict, secret, user_id: int, organisation_id: int, key: str,
                       number: int) -> dict[str, list[str]]:
    """Question id -> option ids as shown, in the order asked, for attempt `number`."""
    base = ("check", organisation_id, user_id, key, number)
    questions = draw_questions(check, seed(secret, *base, "draw"))
    return {q["id"]: option_order(q, seed(secret, *base, q["id"])) for q in questions}


def ordered(item: dict, order: list[str] | None) -> dict:
    """The item with its options in the given order (file order when none is stored)."""
    if not order:
        return item
    options = {option["id"]: option for option in item.get("options") or []}
    listed = [options[oid] for oid in order if oid in options]
    listed += [option for oid, option in options.items() if oid not in order]
    return {**item, "options": listed}
