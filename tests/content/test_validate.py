"""`content validate`: every kind of author mistake gives `FILE: field.path: message`."""

import textwrap
from pathlib import Path

import pytest

from trainer.content.services import DEFAULT_PATHS, validate_paths

FRAMEWORK = """
framework: test-core
title: Test framework
levels:
  - {level: 1, name: Not yet, min: 0.0}
  - {level: 2, name: Competent, min: 0.7, competent: true}
competencies:
  - {id: ipt-knowledge, title: Knowledge, description: Knows.}
  - {id: risk-collaboration, title: Risk, description: Keeps safe.}
"""

MODULE = """
id: {id}
version: 1
title: A module
order: 1
core: true
minutes: 10
prerequisites: {prerequisites}
competencies: [ipt-knowledge]
objectives: [Learn it.]
sections:
  - {{title: One, file: one.md}}
check:
  pass_mark: 0.8
  questions:
    - id: q1
      prompt: Pick one
      kind: single
      options:
        - {{id: b, label: B, correct: false, feedback: Wrong.}}
        - {{id: a, label: A, correct: true, feedback: Right.}}
"""

VIGNETTE = """
id: v1
version: 1
title: A case
summary: Short.
population: adult
condition: major-depression
variant: IPT
problem_areas: [grief]
difficulty: 1
competencies: [ipt-knowledge]
pass_mark: 0.7
case: Text
stages:
  - id: s1
    title: Choose
    prompt: What now?
    kind: multiple
    max_choices: 2
    options:
      - {id: c, label: Carry on regardless, points: -1, critical: true, feedback: Unsafe}
      - {id: a, label: Ask, points: 2, required: true, feedback: Good}
      - {id: b, label: Book it, points: 1, feedback: Fine}
"""


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return path


@pytest.fixture
def tree(tmp_path):
    write(tmp_path, "competencies.yaml", FRAMEWORK)
    write(tmp_path, "m1/module.yaml", MODULE.format(id="m1", prerequisites="[]"))
    write(tmp_path, "m1/one.md", "# Text")
    write(tmp_path, "vignettes/v1.yaml", VIGNETTE)
    return tmp_path


def lines_for(tree: Path) -> list[str]:
    return validate_paths([tree])


def test_a_valid_tree_has_no_problems(tree):
    assert lines_for(tree) == []


def test_the_projects_own_content_validates():
    assert validate_paths(list(DEFAULT_PATHS)) == []


@pytest.mark.parametrize("relative, old, new, expected", [
    ("m1/module.yaml", "minutes: 10\n", "", "m1/module.yaml: minutes: required field is missing"),
    ("m1/module.yaml", "minutes: 10", "minutes: ten",
     "m1/module.yaml: minutes: Not a valid integer."),
    ("m1/module.yaml", "order: 1", "ordre: 1", "m1/module.yaml: ordre: unknown field"),
    ("m1/module.yaml", "prerequisites: []", "prerequisites: [nowhere]",
     "m1/module.yaml: prerequisites.0: unknown module 'nowhere'"),
    ("m1/module.yaml", "competencies: [ipt-knowledge]", "competencies: [flying]",
     "m1/module.yaml: competencies.0: unknown competency 'flying'"),
    ("m1/module.yaml", "correct: true", "correct: false",
     "m1/module.yaml: check.questions.q1.options: a single question needs exactly one "
     "correct option (found 0)"),
    ("m1/module.yaml", "{id: b, label: B", "{id: a, label: B",
     "m1/module.yaml: check.questions.q1.options.a.id: another option has the id 'a'"),
    ("m1/module.yaml", "file: one.md", "file: missing.md",
     "m1/module.yaml: sections.0.file: file 'missing.md' not found beside module.yaml"),
    ("m1/module.yaml", "id: m1", "id: M 1",
     "m1/module.yaml: id: must be lower-case letters"),
    ("vignettes/v1.yaml", "points: -1, critical", "points: 1, critical",
     "vignettes/v1.yaml: stages.s1.options.c.critical: a critical option must have points of 0"),
    ("vignettes/v1.yaml", "max_choices: 2", "max_choices: 5",
     "vignettes/v1.yaml: stages.s1.max_choices: must be between 1 and the number of options"),
    ("vignettes/v1.yaml", "kind: multiple", "kind: essay",
     "vignettes/v1.yaml: stages.s1.kind: Must be one of"),
    ("vignettes/v1.yaml", "problem_areas: [grief]", "problem_areas: [divorce]",
     "vignettes/v1.yaml: problem_areas.0: unknown problem area 'divorce'"),
    ("competencies.yaml", "min: 0.7, competent: true", "min: 0.7",
     "competencies.yaml: levels: exactly one level must be marked competent: true"),
])
def test_each_mistake_is_reported_with_file_and_field_path(tree, relative, old, new, expected):
    path = tree / relative
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    lines = lines_for(tree)
    shown = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else None
    prefix = shown or str(path)
    wanted = expected.replace(relative, prefix, 1)
    assert any(line.startswith(wanted) for line in lines), lines


def test_every_problem_of_a_file_is_reported_in_one_run(tree):
    path = tree / "vignettes/v1.yaml"
    text = path.read_text().replace("difficulty: 1", "difficulty: 9").replace(
        "points: -1, critical", "points: 1, critical").replace("title: A case\n", "")
    path.write_text(text)
    lines = lines_for(tree)
    assert len([line for line in lines if "v1.yaml" in line]) == 3, lines


def test_a_prerequisite_cycle_is_reported(tree):
    write(tree, "m1/module.yaml", MODULE.format(id="m1", prerequisites="[m2]"))
    write(tree, "m2/module.yaml", MODULE.format(id="m2", prerequisites="[m1]"))
    write(tree, "m2/one.md", "text")
    lines = lines_for(tree)
    assert any("prerequisites form a cycle: m1 -> m2 -> m1" in line for line in lines), lines


def test_duplicate_ids_across_files_are_reported(tree):
    write(tree, "vignettes/copy.yaml", VIGNETTE)
    assert any("also defines vignette 'v1'" in line for line in lines_for(tree))


def test_invalid_yaml_gives_one_line_with_line_and_column(tree):
    write(tree, "vignettes/broken.yaml", "id: x\ntitle: [unclosed\n")
    lines = [line for line in lines_for(tree) if "broken.yaml" in line]
    assert len(lines) == 1
    assert "line 3, column 1" in lines[0] or "line 2" in lines[0]


def test_a_file_of_unknown_kind_is_named(tree):
    write(tree, "misc/notes.yaml", "a: 1\n")
    assert any("notes.yaml: file: cannot tell the kind" in line for line in lines_for(tree))


def test_panel_rules(tree):
    write(tree, "vignettes/v1.yaml", VIGNETTE.replace("kind: multiple", "kind: multiple\n"
                                                      "    scoring: panel"))
    lines = lines_for(tree)
    assert any("stages.s1.scoring: panel scoring is only for single stages" in line
               for line in lines), lines
    assert any("stages.s1.options.a.panel: a panel stage needs a panel count" in line
               for line in lines)


def test_cli_validate_exits_1_and_prints_lines(app, tree):
    (tree / "m1/module.yaml").write_text(MODULE.format(id="m1", prerequisites="[zzz]"))
    result = app.test_cli_runner().invoke(args=["content", "validate", str(tree)])
    assert result.exit_code == 1
    assert "prerequisites.0: unknown module 'zzz'" in result.output
    assert "Traceback" not in result.output
