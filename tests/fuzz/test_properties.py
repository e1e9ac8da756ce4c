"""Property tests of the pure engines: the content validator never raises and always speaks in
`FILE: field.path: message` lines; vignette scores stay in [0, 1] and never fall when a chosen
option is worth more."""

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trainer.content.services import project_catalogue
from trainer.content.validate import validate
from trainer.curriculum.checks import score_check, validate_check_answers
from trainer.errors import DomainError
from trainer.scoring.engine import AnswerError, score_attempt

ROOT = Path(__file__).resolve().parents[2]
BOUNDED = settings(max_examples=120, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])

# Where each kind of content file has to sit for the validator to tell its kind.
PLACES = {"framework": "competencies.yaml", "module": "a-module/module.yaml",
          "vignette": "vignettes/case.yaml", "scale": "scales/scale.yaml",
          "pathway": "pathways/pathway.yaml"}
REAL = {"framework": ROOT / "curriculum" / "competencies.yaml",
        "module": ROOT / "curriculum" / "ipt-foundations" / "module.yaml",
        "vignette": sorted((ROOT / "vignettes").glob("*.yaml"))[0],
        "scale": ROOT / "curriculum" / "scales" / "ipt-session-quality.yaml",
        "pathway": ROOT / "curriculum" / "pathways" / "ipt-practitioner.yaml"}


# --- the content validator ----------------------------------------------------------------

@pytest.fixture(scope="module")
def content_dir(tmp_path_factory) -> Path:
    """A folder laid out like curriculum/, with the real module's section files."""
    folder = tmp_path_factory.mktemp("content")
    for place in PLACES.values():
        (folder / place).parent.mkdir(parents=True, exist_ok=True)
    for section in REAL["module"].parent.glob("*.md"):
        (folder / PLACES["module"]).parent.joinpath(section.name).write_text(section.read_text())
    return folder


@pytest.fixture(scope="module")
def catalogue():
    """The project's ids (what references resolve against), computed once."""
    return project_catalogue([])


def check_validator(folder: Path, catalogue, kind: str, text: str) -> list[str]:
    """Validate one file of the kind; assert the outcome is a clean list or a valid item."""
    path = folder / PLACES[kind]
    path.write_text(text, encoding="utf-8")
    items, lines = validate([path], copy.deepcopy(catalogue))
    (item,) = items
    prefix = f"{item.display}: "
    for line in lines:
        assert line.startswith(prefix), line
        field_path, sep, message = line[len(prefix):].partition(": ")
        assert sep and field_path and message.strip(), line
    if not lines:
        assert item.valid and isinstance(item.data, dict)
    else:
        assert not item.valid
    return lines


scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
           | st.sampled_from(["single", "multiple", "text", "panel", "core", "all", "grief",
                              "initial", "adult", "a-b", "1", ""]))
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10) | st.sampled_from(
        ["id", "version", "title", "stages", "options", "points", "kind", "items", "levels",
         "min", "max", "prerequisites", "sections", "check", "questions", "requirements"]),
        children, max_size=5),
    max_leaves=25,
)


@BOUNDED
@given(kind=st.sampled_from(sorted(PLACES)), text=st.text(max_size=300))
@example(kind="framework", text="? [a, b]\n: c\n")  # a key that cannot be hashed
@example(kind="module", text="id: x\nid: y\n")  # a key given twice
@example(kind="vignette", text="- just\n- a list\n")
@example(kind="scale", text="\x00")
@example(kind="pathway", text="a: &x [*x]\n")  # a recursive alias
def test_any_text_gives_problem_lines_or_a_valid_item(content_dir, catalogue, kind, text):
    check_validator(content_dir, catalogue, kind, text)


@BOUNDED
@given(kind=st.sampled_from(sorted(PLACES)), data=structures)
def test_any_yaml_structure_gives_problem_lines_or_a_valid_item(content_dir, catalogue, kind,
                                                                  data):
    check_validator(content_dir, catalogue, kind, yaml.safe_dump(data, allow_unicode=True))


def _paths(node, prefix=()):
    """Every path to a value inside nested dicts and lists."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@st.composite
def mutated(draw, kind: str):
    """A real content file with one to three edits: a value replaced, removed or added."""
    data = yaml.safe_load(REAL[kind].read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(structures)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(scalars)
        else:
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))  # a duplicate
    return data


def test_the_real_files_mutated_here_are_valid_as_shipped(content_dir, catalogue):
    for kind, path in REAL.items():
        assert check_validator(content_dir, catalogue, kind, path.read_text()) == [], kind


@BOUNDED
@given(data=st.data(), kind=st.sampled_from(sorted(PLACES)))
def test_mutated_real_content_gives_problem_lines_or_a_valid_item(content_dir, catalogue, data,
                                                                   kind):
    content = data.draw(mutated(kind))
    check_validator(content_dir, catalogue, kind,
                    yaml.safe_dump(content, allow_unicode=True, sort_keys=False))


# --- the vignette scoring engine ----------------------------------------------------------

POINTS = st.integers(-3, 6)


@st.composite
def choice_stage(draw, sid: str) -> dict:
    """A single, multiple or panel stage that passes the content rules."""
    kind = draw(st.sampled_from(["single", "multiple", "panel"]))
    count = draw(st.integers(2, 5))
    key = "panel" if kind == "panel" else "points"
    values = draw(st.lists(st.integers(0, 9) if kind == "panel" else POINTS,
                           min_size=count, max_size=count).filter(lambda v: max(v) > 0))
    options = [{"id": f"o{i}", "label": f"Option {i}", key: value, "feedback": "Why."}
               for i, value in enumerate(values)]
    stage = {"id": sid, "title": sid, "prompt": "What now?", "options": options,
             "kind": "multiple" if kind == "multiple" else "single",
             "weight": draw(st.floats(0.1, 10, allow_nan=False))}
    if kind == "panel":
        stage["scoring"] = "panel"
    elif kind == "multiple" and draw(st.booleans()):
        stage["max_choices"] = draw(st.integers(1, count))
    return stage


def text_stage(sid: str, top: int) -> dict:
    return {"id": sid, "title": sid, "prompt": "Write.", "kind": "text", "weight": 1.0,
            "model_answer": "A model.",
            "levels": [{"score": s, "descriptor": f"Level {s}"} for s in range(top + 1)]}


@st.composite
def scored_attempt(draw) -> tuple[dict, dict, dict]:
    """(vignette, answers, text levels): a valid vignette and a valid answer to it."""
    stages, answers, levels = [], {}, {}
    for n in range(draw(st.integers(1, 4))):
        sid = f"s{n}"
        if draw(st.integers(0, 4)) == 0:
            stage = text_stage(sid, draw(st.integers(1, 4)))
            answers[sid] = draw(st.text(min_size=1, max_size=20).filter(str.strip))
            level = draw(st.none() | st.sampled_from([lv["score"] for lv in stage["levels"]]))
            if level is not None:
                levels[sid] = level
        else:
            stage = draw(choice_stage(sid))
            ids = [o["id"] for o in stage["options"]]
            limit = 1 if stage["kind"] == "single" else stage.get("max_choices", len(ids))
            answers[sid] = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=limit,
                                         unique=True))
        stages.append(stage)
    vignette = {"id": "v", "pass_mark": draw(st.sampled_from([0.5, 0.7, 1])), "stages": stages}
    return vignette, answers, levels


@BOUNDED
@given(scored_attempt())
def test_scores_stay_between_zero_and_one(attempt):
    vignette, answers, levels = attempt
    result = score_attempt(vignette, answers, levels)
    assert result.score is None or 0 <= result.score <= 1
    for stage in result.stages:
        assert stage.score is None or 0 <= stage.score <= 1
    pending = any(s["kind"] == "text" and s["id"] not in levels for s in vignette["stages"])
    assert result.provisional == (pending and not result.critical_errors)
    assert (result.score is None) == all(s.score is None for s in result.stages)


@BOUNDED
@given(attempt=scored_attempt(), data=st.data())
def test_more_points_for_a_chosen_option_never_lowers_the_score(attempt, data):
    vignette, answers, levels = attempt
    choice = [s for s in vignette["stages"] if s["kind"] != "text"]
    if not choice:
        return
    stage = data.draw(st.sampled_from(choice))
    chosen = data.draw(st.sampled_from(answers[stage["id"]]))
    key = "panel" if stage.get("scoring") == "panel" else "points"
    raised = copy.deepcopy(vignette)
    option = next(o for s in raised["stages"] if s["id"] == stage["id"]
                  for o in s["options"] if o["id"] == chosen)
    option[key] += data.draw(st.integers(1, 10))
    before = score_attempt(vignette, answers, levels)
    after = score_attempt(raised, answers, levels)
    if before.score is not None:
        assert after.score >= before.score
    stage_before = next(s for s in before.stages if s.id == stage["id"])
    stage_after = next(s for s in after.stages if s.id == stage["id"])
    assert stage_after.score >= stage_before.score


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=15,
)


@BOUNDED
@given(attempt=scored_attempt(), answers=json_values | st.dictionaries(
    st.sampled_from(["s0", "s1", "s2", "s3", "x"]), json_values), levels=json_values)
def test_any_json_answer_is_scored_or_refused_with_answer_errors(attempt, answers, levels):
    vignette, _, _ = attempt
    try:
        result = score_attempt(vignette, answers, levels)
    except AnswerError as exc:
        assert exc.fields and all(path.startswith(("answers", "text_levels"))
                                  for path in exc.fields)
    else:
        assert result.score is None or 0 <= result.score <= 1


# --- the module knowledge check -----------------------------------------------------------

MODULE_CHECK = yaml.safe_load(REAL["module"].read_text(encoding="utf-8"))["check"]
OPTION_IDS = st.sampled_from(["a", "b", "c", "d", "x"])


def well_formed(question: dict) -> st.SearchStrategy:
    ids = [o["id"] for o in question["options"]]
    size = 1 if question["kind"] == "single" else len(ids)
    return st.lists(st.sampled_from(ids), min_size=1, max_size=size, unique=True)


complete = st.fixed_dictionaries({q["id"]: well_formed(q) for q in MODULE_CHECK["questions"]})
every_question = st.fixed_dictionaries(
    {q["id"]: st.lists(OPTION_IDS, max_size=4) for q in MODULE_CHECK["questions"]},
    optional={"nope": json_values})


@BOUNDED
@given(answers=complete | every_question | json_values)
def test_any_knowledge_check_answer_is_scored_in_range_or_refused(answers):
    try:
        normalised = validate_check_answers(MODULE_CHECK, answers)
    except DomainError as exc:
        assert exc.fields and all(path.startswith("answers") for path in exc.fields)
        return
    result = score_check(MODULE_CHECK, normalised)
    assert 0 <= result.score <= 1
    right = sum(q.correct for q in result.questions)
    assert result.passed == (right / len(result.questions) >= MODULE_CHECK["pass_mark"])
