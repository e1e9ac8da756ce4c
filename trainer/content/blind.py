"""Blind strategies played against content: a guesser who knows no IPT must earn nothing.

Pure functions over validated content data (no Flask, no database). Three fixed strategies
are played against every vignette and every knowledge check, in file order:

- `first`: the first option of a single stage or question; the first `max_choices` options
  of a multiple stage; the first k options of a multiple question, k its number of correct
  options (the best any "first few" strategy can do, since a question is right only on the
  exact set);
- `longest`: the same counts, taking the longest labels (ties: file order);
- `all-but-shortest`: every option but the shortest (cut to the longest `max_choices` where
  a stage takes fewer); single stages and questions take their longest option.

A text stage is scored at its lowest level, as a guesser's written answer would be. A check
with a pool (`ask`) is judged on the guesser's luckiest draw: the questions the strategy gets
right come first. Passing, or reaching the pass mark, is an error; a keyed file position or
a keyed longest label shared by more than half of a file's items is a warning.
"""

from collections import Counter
from fractions import Fraction

from trainer.scoring.engine import expert_key, max_choices, score_attempt

Problem = tuple[str, str]
STRATEGIES = {
    "first": "the first option(s) in file order",
    "longest": "the longest label(s)",
    "all-but-shortest": "every option but the shortest",
}


def pick(options: list[dict], strategy: str, count: int, multiple: bool) -> list[str]:
    """The option ids a strategy chooses when it must choose `count` (at most) of them."""
    ids = [option["id"] for option in options]
    by_length = sorted(options, key=lambda o: -len(o["label"]))  # stable: ties in file order
    if strategy == "first":
        return ids[:count]
    if strategy == "longest" or not multiple:
        return [option["id"] for option in by_length[:count]]
    shortest = min(options, key=lambda o: len(o["label"]))["id"]
    rest = [oid for oid in ids if oid != shortest]
    if len(rest) <= count:
        return rest
    return [option["id"] for option in by_length[:count]]


# -- vignettes -----------------------------------------------------------------------------

def vignette_answers(data: dict, strategy: str) -> tuple[dict, dict]:
    """The strategy's answers to every stage, and the level a text stage is given (lowest)."""
    answers, levels = {}, {}
    for stage in data["stages"]:
        if stage["kind"] == "text":
            answers[stage["id"]] = "A guess."
            levels[stage["id"]] = min(level["score"] for level in stage["levels"])
        else:
            answers[stage["id"]] = pick(stage["options"], strategy, max_choices(stage),
                                        stage["kind"] == "multiple")
    return answers, levels


def vignette_problems(data: dict) -> list[Problem]:
    """An error for each blind strategy that passes the vignette."""
    problems = []
    for strategy, words in STRATEGIES.items():
        result = score_attempt(data, *vignette_answers(data, strategy))
        if result.status == "passed":
            problems.append(("stages", f"a blind strategy passes this vignette: choosing "
                                       f"{words} scores {result.score:.2f} with no critical "
                                       f"error (pass mark {data['pass_mark']}); rebalance the "
                                       "options' order and labels"))
    return problems


def vignette_warnings(data: dict) -> list[Problem]:
    """Warnings when the keyed options share a file position or the longest label."""
    items = [(stage, expert_key(stage)) for stage in data["stages"] if stage["kind"] != "text"]
    return _tells(items, "stages")


# -- knowledge checks ----------------------------------------------------------------------

def question_right(question: dict, strategy: str) -> bool:
    """Whether the strategy answers the question exactly right."""
    keyed = {option["id"] for option in question["options"] if option["correct"]}
    multiple = question["kind"] == "multiple"
    count = len(keyed)
    if multiple and strategy == "all-but-shortest":
        count = len(question["options"]) - 1
    return set(pick(question["options"], strategy, count, multiple)) == keyed


def check_problems(data: dict) -> list[Problem]:
    """An error for each blind strategy that reaches the check's pass mark on some draw."""
    check = data["check"]
    questions = check["questions"]
    asked = check.get("ask") or len(questions)
    problems = []
    for strategy, words in STRATEGIES.items():
        right = sum(1 for question in questions if question_right(question, strategy))
        best = Fraction(min(right, asked), asked)
        if best >= Fraction(str(check["pass_mark"])):
            problems.append(("check.questions", f"a blind strategy reaches the pass mark: "
                                                f"choosing {words} answers {right} of "
                                                f"{len(questions)} questions right (a draw "
                                                f"of {asked} needs {_needed(check, asked)}); "
                                                "rebalance the options' order and labels"))
    return problems


def _needed(check: dict, asked: int) -> int:
    mark = Fraction(str(check["pass_mark"]))
    return next(n for n in range(asked + 1) if Fraction(n, asked) >= mark)


def check_warnings(data: dict) -> list[Problem]:
    """Warnings when the correct options share a file position or the longest label."""
    items = [(q, [o["id"] for o in q["options"] if o["correct"]])
             for q in data["check"]["questions"]]
    return _tells(items, "check.questions")


# -- shared tells --------------------------------------------------------------------------

def _tells(items: list[tuple[dict, list[str]]], path: str) -> list[Problem]:
    """Same keyed position in more than half of the items; keyed label longest in more."""
    if len(items) < 2:
        return []
    positions = Counter(_positions(item, key) for item, key in items)
    position, count = positions.most_common(1)[0]
    warnings = []
    if count * 2 > len(items):
        places = ", ".join(str(p + 1) for p in position)
        warnings.append((path, f"warning: the keyed option is at position {places} in "
                               f"{count} of {len(items)} items; vary where it sits"))
    longest = sum(1 for item, key in items if _longest(item, key))
    if longest * 2 > len(items):
        warnings.append((path, f"warning: the keyed label is the longest in {longest} of "
                               f"{len(items)} items; vary the labels' lengths"))
    return warnings


def _positions(item: dict, key: list[str]) -> tuple[int, ...]:
    return tuple(i for i, option in enumerate(item["options"]) if option["id"] in key)


def _longest(item: dict, key: list[str]) -> bool:
    """Every keyed label at least as long as every other label."""
    keyed = [len(o["label"]) for o in item["options"] if o["id"] in key]
    others = [len(o["label"]) for o in item["options"] if o["id"] not in key]
    return bool(keyed) and bool(others) and min(keyed) >= max(others)
