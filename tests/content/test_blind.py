"""The validator plays blind strategies and refuses content a guesser passes."""

from pathlib import Path

from tests.content.test_validate import FRAMEWORK, write
from trainer.content.services import validate_paths

KEYED_FIRST_VIGNETTE = """
id: keyed-first
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
  - id: focus
    title: Focus
    prompt: Which area?
    kind: single
    options:
      - {id: grief, label: Grief after the death of her husband, points: 2, feedback: Good}
      - {id: deficits, label: Deficits, points: 0, feedback: Poor}
      - {id: dispute, label: A dispute, points: 0, feedback: Poor}
  - id: risk
    title: Risk
    prompt: What now?
    kind: multiple
    max_choices: 2
    options:
      - {id: ask, label: Ask directly about suicidal thoughts and plans, points: 2,
         required: true, feedback: Good}
      - {id: plan, label: Agree a written safety plan with her, points: 1, feedback: Good}
      - {id: skip, label: Move on, points: -1, critical: true, feedback: Poor}
"""

LONGEST_CHECK = """
id: tells
version: 1
title: A module
order: 1
core: true
minutes: 10
prerequisites: []
competencies: [ipt-knowledge]
objectives: [Learn it.]
sections:
  - {title: One, file: one.md}
check:
  pass_mark: 0.5
  questions:
    - id: q1
      prompt: One
      kind: single
      options:
        - {id: a, label: Short, correct: false, feedback: No.}
        - {id: b, label: The longest and most careful answer, correct: true, feedback: Yes.}
    - id: q2
      prompt: Two
      kind: single
      options:
        - {id: a, label: Brief, correct: false, feedback: No.}
        - {id: b, label: Another long and carefully hedged answer, correct: true, feedback: Yes.}
    - id: q3
      prompt: Three
      kind: multiple
      options:
        - {id: a, label: Tiny, correct: false, feedback: No.}
        - {id: b, label: A long and right option, correct: true, feedback: Yes.}
        - {id: c, label: Another long right one, correct: true, feedback: Yes.}
"""


def tree_with(tmp_path: Path, relative: str, text: str) -> Path:
    write(tmp_path, "competencies.yaml", FRAMEWORK)
    write(tmp_path, relative, text)
    write(tmp_path, "tells/one.md", "# Text")
    return tmp_path


def test_a_vignette_keyed_first_and_longest_is_refused_for_each_strategy(tmp_path):
    lines = validate_paths([tree_with(tmp_path, "vignettes/keyed-first.yaml",
                                      KEYED_FIRST_VIGNETTE)])
    blind = [line for line in lines if "a blind strategy passes this vignette" in line]
    assert len(blind) == 3
    assert all(line.split(": ")[1] == "stages" for line in blind)
    for words in ("the first option(s) in file order", "the longest label(s)",
                  "every option but the shortest"):
        assert any(words in line for line in blind), words
    assert any("warning: the keyed label is the longest in 2 of 2 items" in line
               for line in lines)


def test_a_check_the_longest_labels_pass_is_refused(tmp_path):
    lines = validate_paths([tree_with(tmp_path, "tells/module.yaml", LONGEST_CHECK)])
    errors = [line for line in lines if ": warning: " not in line]
    assert any("choosing the longest label(s) answers 3 of 3" in line for line in errors)
    assert any("every option but the shortest answers 3 of 3" in line for line in errors)
    assert not any("first option(s)" in line for line in errors)  # a is first and wrong
    assert all(line.split(": ")[1] == "check.questions" for line in errors)


def test_a_pool_is_judged_on_the_luckiest_draw(tmp_path):
    text = LONGEST_CHECK.replace("pass_mark: 0.5", "pass_mark: 1.0\n  ask: 1")
    lines = validate_paths([tree_with(tmp_path, "tells/module.yaml", text)])
    assert any("(a draw of 1 needs 1)" in line for line in lines)


def test_rebalanced_content_is_clean(tmp_path):
    grief = "      - {id: grief, label: Grief after the death of her husband, points: 2, " \
            "feedback: Good}\n"
    text = (KEYED_FIRST_VIGNETTE.replace(grief, "")
            .replace("      - {id: dispute,", grief.replace("Grief after the death of her "
                                                            "husband", "Grief")
                     + "      - {id: dispute,")
            .replace("label: Deficits,", "label: Interpersonal deficits after retirement,")
            .replace("      - {id: ask,", "      - {id: skip2, label: Reassure her at length "
                     "that everyone feels this way, points: 0, feedback: Poor}\n"
                     "      - {id: ask,"))
    lines = validate_paths([tree_with(tmp_path, "vignettes/keyed-first.yaml", text)])
    # focus: first and longest pick a distractor; risk: the first two and the longest two
    # leave out the required 'ask' or score low, so no strategy passes
    assert lines == [], lines


def test_the_cli_exits_0_on_warnings_only_and_1_on_errors(tmp_path):
    from click.testing import CliRunner

    from trainer import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    runner = CliRunner()
    folder = tree_with(tmp_path, "vignettes/keyed-first.yaml", KEYED_FIRST_VIGNETTE)
    result = runner.invoke(app.cli, ["content", "validate", str(folder)])
    assert result.exit_code == 1 and "a blind strategy passes" in result.output


def test_panel_stages_say_where_their_counts_came_from(tmp_path):
    panel = """
  - id: judge
    title: Judgement
    prompt: Which?
    kind: single
    scoring: panel
    panel_source: {kind: convened, size: 4, date: "2026-13", note: Four of us}
    options:
      - {id: x, label: X, panel: 3, feedback: Most}
      - {id: y, label: Y, panel: 1, feedback: Some}
"""
    lines = validate_paths([tree_with(tmp_path, "vignettes/keyed-first.yaml",
                                      KEYED_FIRST_VIGNETTE + panel)])
    assert any("stages.judge.panel_source.date: must be a month written YYYY-MM" in line
               for line in lines)
    lines = validate_paths([tree_with(tmp_path, "vignettes/keyed-first.yaml",
                                      KEYED_FIRST_VIGNETTE
                                      + panel.replace('"2026-13"', '"2026-11"'))])
    assert any("stages.judge.panel_source.size: a convened panel has at least 10" in line
               for line in lines)
    missing = panel.replace('    panel_source: {kind: convened, size: 4, date: "2026-13", '
                            'note: Four of us}\n', "")
    lines = validate_paths([tree_with(tmp_path, "vignettes/keyed-first.yaml",
                                      KEYED_FIRST_VIGNETTE + missing)])
    assert any("stages.judge.panel_source: a panel stage must say who set its counts" in line
               for line in lines)


def test_check_settings_are_validated(tmp_path):
    text = (LONGEST_CHECK.replace("pass_mark: 0.5", "pass_mark: 0.5\n  ask: 9\n"
                                  "  reveal: sometimes\n  cooldown_minutes: -1")
            .replace("        - {id: a, label: Tiny,", "        - {id: a, label: Tiny, "
                     "fixed: last,")
            .replace("        - {id: c, label: Another", "        - {id: c, fixed: first, "
                     "label: Another"))
    lines = validate_paths([tree_with(tmp_path, "tells/module.yaml", text)])
    joined = "\n".join(lines)
    assert "check.ask: cannot ask more than the 3 question(s)" in joined
    assert "check.reveal: Must be one of: on-pass, always." in joined
    assert "check.cooldown_minutes: must be 0 or more" in joined
    assert "check.questions.q3.options.c.fixed: must be last" in joined
