"""Rules of each content kind that a schema cannot express; they read the raw YAML
defensively, so a file with schema errors still gets every rule checked in the same run."""

from pathlib import Path

Problem = tuple[str, str]  # (field path, message)


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _label(item: dict, index: int) -> str:
    ident = item.get("id")
    return ident if isinstance(ident, str) and ident else str(index)


def _items(value) -> list[tuple[str, dict]]:
    """(path label, item) for each dict of a list: the id where it has one, else the index."""
    if not isinstance(value, list):
        return []
    return [(_label(item, i), item) for i, item in enumerate(value) if isinstance(item, dict)]


def _duplicates(value, prefix: str, what: str) -> list[Problem]:
    seen, problems = set(), []
    for item in _dicts(value):
        ident = item.get("id")
        if isinstance(ident, str):
            if ident in seen:
                problems.append((f"{prefix}.{ident}.id" if prefix else f"{ident}.id",
                                 f"another {what} has the id '{ident}'"))
            seen.add(ident)
    return problems


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- framework -----------------------------------------------------------------------------

def framework_rules(raw: dict, _folder: Path) -> list[Problem]:
    """Exactly one competent level, levels lowest first, unique ids."""
    levels = _dicts(raw.get("levels"))
    problems = []
    if levels and sum(1 for lv in levels if lv.get("competent") is True) != 1:
        problems.append(("levels", "exactly one level must be marked competent: true"))
    for i in range(1, len(levels)):
        prev, cur = levels[i - 1], levels[i]
        if _number(prev.get("level")) and _number(cur.get("level")) \
                and cur["level"] <= prev["level"]:
            problems.append((f"levels.{i}.level", "levels must be listed lowest first"))
        if _number(prev.get("min")) and _number(cur.get("min")) and cur["min"] <= prev["min"]:
            problems.append((f"levels.{i}.min", "each level's min must be above the previous"))
    problems += _duplicates(raw.get("competencies"), "competencies", "competency")
    problems += _duplicates(raw.get("problem_areas"), "problem_areas", "problem area")
    return problems


# -- module --------------------------------------------------------------------------------

def module_rules(raw: dict, folder: Path) -> list[Problem]:
    """Section files exist beside module.yaml; questions have the right correct options."""
    problems = []
    sections = raw.get("sections")
    for i, section in enumerate(sections if isinstance(sections, list) else []):
        name = section.get("file") if isinstance(section, dict) else None
        if isinstance(name, str) and name:
            if "/" in name or "\\" in name or name.startswith("."):
                problems.append((f"sections.{i}.file", "give a file name beside module.yaml"))
            elif not (folder / name).is_file():
                problems.append((f"sections.{i}.file",
                                 f"file '{name}' not found beside module.yaml"))
    prerequisites = raw.get("prerequisites")
    if isinstance(prerequisites, list) and raw.get("id") in prerequisites:
        problems.append(("prerequisites", "a module cannot be its own prerequisite"))
    check = raw.get("check") if isinstance(raw.get("check"), dict) else {}
    questions = check.get("questions")
    problems += _duplicates(questions, "check.questions", "question")
    ask = check.get("ask")
    if isinstance(ask, int) and isinstance(questions, list) and ask > len(questions):
        problems.append(("check.ask", f"cannot ask more than the {len(questions)} question(s) "
                                      "the check holds"))
    tags = set(raw["competencies"]) if isinstance(raw.get("competencies"), list) else set()
    for label, question in _items(questions):
        problems += _question_rules(question, f"check.questions.{label}")
        problems += _question_tags(question, tags, f"check.questions.{label}.competencies")
    return problems


def _question_tags(question: dict, tags: set, path: str) -> list[Problem]:
    listed = question.get("competencies")
    if not isinstance(listed, list):
        return []
    return [(path, f"'{tag}' is not one of the module's competencies")
            for tag in listed if isinstance(tag, str) and tag not in tags]


def _fixed_rules(options: list[dict], path: str) -> list[Problem]:
    """At most one option is pinned last."""
    if sum(1 for option in options if "fixed" in option) > 1:
        return [(path, "only one option can be fixed last")]
    return []


def _question_rules(question: dict, path: str) -> list[Problem]:
    options = _dicts(question.get("options"))
    problems = _duplicates(options, f"{path}.options", "option")
    problems += _fixed_rules(options, f"{path}.options")
    correct = sum(1 for option in options if option.get("correct") is True)
    if question.get("kind") == "single" and options and correct != 1:
        problems.append((f"{path}.options",
                         f"a single question needs exactly one correct option (found {correct})"))
    if question.get("kind") == "multiple" and options and correct < 1:
        problems.append((f"{path}.options", "a multiple question needs at least one correct "
                                            "option"))
    return problems


# -- vignette ------------------------------------------------------------------------------

def vignette_rules(raw: dict, _folder: Path) -> list[Problem]:
    """Stage and option rules: kinds, max_choices, points and flags, panels, text levels."""
    stages = raw.get("stages")
    problems = _duplicates(stages, "stages", "stage")
    if not raw.get("competencies") and any(not s.get("competencies") for s in _dicts(stages)):
        problems.append(("competencies", "required unless every stage names its own"))
    for label, stage in _items(stages):
        problems += _stage_rules(stage, f"stages.{label}")
    return problems


def _stage_rules(stage: dict, path: str) -> list[Problem]:
    kind = stage.get("kind")
    if kind == "text":
        return _text_stage_rules(stage, path)
    if kind not in ("single", "multiple"):
        return []
    problems = []
    for key in ("model_answer", "levels"):
        if key in stage:
            problems.append((f"{path}.{key}", "only text stages take this field"))
    options = _dicts(stage.get("options"))
    if len(options) < 2:
        problems.append((f"{path}.options", "a single or multiple stage needs at least two "
                                            "options"))
    problems += _duplicates(options, f"{path}.options", "option")
    problems += _fixed_rules(options, f"{path}.options")
    problems += _max_choices_rules(stage, kind, len(options), path)
    if stage.get("scoring") == "panel":
        return problems + _panel_rules(stage, kind, options, path)
    if "panel_source" in stage:
        problems.append((f"{path}.panel_source", "only panel stages (scoring: panel) take a "
                                                 "panel_source"))
    return problems + _points_rules(stage, kind, options, path)


def max_choices(stage: dict) -> int:
    """A multiple stage's max_choices (default: the number of options); 1 otherwise."""
    if stage.get("kind") != "multiple":
        return 1
    value = stage.get("max_choices")
    return value if isinstance(value, int) else len(_dicts(stage.get("options")))


def _max_choices_rules(stage: dict, kind: str, count: int, path: str) -> list[Problem]:
    if "max_choices" not in stage:
        return []
    if kind != "multiple":
        return [(f"{path}.max_choices", "only multiple stages take max_choices")]
    value = stage["max_choices"]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= count:
        return [(f"{path}.max_choices", f"must be between 1 and the number of options ({count})")]
    return []


def _panel_rules(stage: dict, kind: str, options: list[dict], path: str) -> list[Problem]:
    problems = _panel_source_rules(stage.get("panel_source"), f"{path}.panel_source")
    if kind != "single":
        problems.append((f"{path}.scoring", "panel scoring is only for single stages"))
    for label, option in _items(options):
        where = f"{path}.options.{label}"
        if "points" in option:
            problems.append((f"{where}.points", "panel stages give panel counts, not points"))
        if not isinstance(option.get("panel"), int) or isinstance(option.get("panel"), bool):
            problems.append((f"{where}.panel", "a panel stage needs a panel count (an integer "
                                               "of 0 or more) on every option"))
        for flag in ("critical", "required"):
            if option.get(flag):
                problems.append((f"{where}.{flag}", f"panel stages have no {flag} options"))
    counts = [o.get("panel") for o in options if isinstance(o.get("panel"), int)]
    if counts and not any(c > 0 for c in counts):
        problems.append((f"{path}.options", "panel counts must not all be 0"))
    return problems


def _panel_source_rules(source, path: str) -> list[Problem]:
    """A panel stage says who set its counts; only a real panel of 10 or more is `convened`."""
    if source is None:
        return [(path, "a panel stage must say who set its counts: panel_source: {kind: "
                       "convened | authors, size, date, note}")]
    size = source.get("size") if isinstance(source, dict) else None
    if isinstance(source, dict) and source.get("kind") == "convened" \
            and isinstance(size, int) and size < 10:
        return [(f"{path}.size", "a convened panel has at least 10 clinicians; use kind: "
                                 "authors when the content's authors set the counts")]
    return []


def _points_rules(stage: dict, kind: str, options: list[dict], path: str) -> list[Problem]:
    problems = []
    for label, option in _items(options):
        where = f"{path}.options.{label}"
        points = option.get("points")
        if "panel" in option:
            problems.append((f"{where}.panel", "panel counts need scoring: panel on the stage"))
        if not isinstance(points, int) or isinstance(points, bool):
            problems.append((f"{where}.points", "every option needs points (an integer)"))
            continue
        if option.get("critical") is True and points > 0:
            problems.append((f"{where}.critical", "a critical option must have points of 0 or "
                                                  "less"))
        if option.get("required") is True:
            if points <= 0:
                problems.append((f"{where}.required", "a required option must have points "
                                                      "above 0"))
            if kind != "multiple":
                problems.append((f"{where}.required", "required options belong in multiple "
                                                      "stages only"))
    required = sum(1 for o in options if o.get("required") is True)
    if kind == "multiple" and required > max_choices(stage):
        problems.append((f"{path}.options", f"{required} required options but max_choices is "
                                            f"{max_choices(stage)}"))
    if _stage_maximum(stage, kind, options) <= 0 and options:
        problems.append((path, "the stage's maximum must be above 0: give at least one option "
                               "positive points"))
    return problems


def _stage_maximum(stage: dict, kind: str, options: list[dict]) -> int:
    points = [o["points"] for o in options
              if isinstance(o.get("points"), int) and not isinstance(o.get("points"), bool)]
    if not points:
        return 0
    if kind == "single":
        return max(points)
    positive = sorted((p for p in points if p > 0), reverse=True)
    return sum(positive[: max_choices(stage)])


def _text_stage_rules(stage: dict, path: str) -> list[Problem]:
    problems = []
    for key in ("options", "max_choices", "scoring", "panel_source", "shuffle"):
        if key in stage:
            problems.append((f"{path}.{key}", "a text stage takes no " + key))
    if "model_answer" not in stage:
        problems.append((f"{path}.model_answer", "a text stage needs a model answer"))
    levels = _dicts(stage.get("levels"))
    scores = [lv.get("score") for lv in levels if isinstance(lv.get("score"), int)]
    if len(levels) < 2:
        problems.append((f"{path}.levels", "a text stage needs at least two levels"))
    elif len(set(scores)) != len(scores) or (scores and min(scores) != 0):
        problems.append((f"{path}.levels", "level scores must be distinct and start at 0"))
    return problems


# -- scale ---------------------------------------------------------------------------------

def scale_rules(raw: dict, _folder: Path) -> list[Problem]:
    """min below max; anchors and thresholds inside the range; unique item ids."""
    low, high = raw.get("min"), raw.get("max")
    problems = _duplicates(raw.get("items"), "items", "item")
    if not (_number(low) and _number(high)):
        return problems
    if high <= low:
        return problems + [("max", "must be above min")]
    anchors = raw.get("anchors") if isinstance(raw.get("anchors"), dict) else {}
    for key in anchors:
        if isinstance(key, int) and not low <= key <= high:
            problems.append((f"anchors.{key}", f"outside the scale's range {low}..{high}"))
    for key in ("pass_mean", "item_min", "essential_min", "global_min"):
        value = raw.get(key)
        if _number(value) and not low <= value <= high:
            problems.append((key, f"must be within the scale's range {low}..{high}"))
    for item in _dicts(raw.get("items")):
        problems += _item_anchor_problems(item, low, high)
    return problems


def _item_anchor_problems(item: dict, low, high) -> list[Problem]:
    """An item's own anchors, where it has them, describe every score of the range, no other."""
    anchors, ident = item.get("anchors"), item.get("id")
    if not (isinstance(anchors, dict) and isinstance(ident, str) and isinstance(low, int)
            and isinstance(high, int)):
        return []
    prefix = f"items.{ident}.anchors"
    problems = [(f"{prefix}.{key}", f"outside the scale's range {low}..{high}")
                for key in anchors if isinstance(key, int) and not low <= key <= high]
    missing = [str(score) for score in range(low, high + 1) if score not in anchors]
    if missing:
        problems.append((prefix, f"describe every score from {low} to {high}; missing "
                                 f"{', '.join(missing)}"))
    return problems


# -- pathway -------------------------------------------------------------------------------

def pathway_rules(raw: dict, _folder: Path) -> list[Problem]:
    """Competent sessions cannot exceed rated sessions."""
    requirements = raw.get("requirements") if isinstance(raw.get("requirements"), dict) else {}
    cases = requirements.get("supervised_cases")
    if isinstance(cases, dict):
        rated, competent = cases.get("rated_sessions_min"), cases.get("competent_sessions_min")
        if isinstance(rated, int) and isinstance(competent, int) and competent > rated:
            return [("requirements.supervised_cases.competent_sessions_min",
                     "cannot be more than rated_sessions_min")]
    return []


RULES = {
    "framework": framework_rules,
    "module": module_rules,
    "vignette": vignette_rules,
    "scale": scale_rules,
    "pathway": pathway_rules,
}
