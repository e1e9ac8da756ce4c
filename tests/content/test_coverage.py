"""The shipped set covers what a certification body asks for (issue 16): enough vignettes
per problem area and population, an assessed safety decision in every vignette, and the
practice topics of the curriculum each asked about in a check."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VIGNETTES = sorted((ROOT / "vignettes").glob("*.yaml"))
MODULES = {path.parent.name: yaml.safe_load(path.read_text())
           for path in (ROOT / "curriculum").glob("*/module.yaml")}


def _vignette(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_the_set_has_28_vignettes_and_every_area_and_population_its_minimum():
    data = [_vignette(path) for path in VIGNETTES]
    areas = Counter(area for vignette in data for area in vignette["problem_areas"])
    populations = Counter(vignette["population"] for vignette in data)
    assert len(data) >= 28
    assert min(areas[a] for a in ("grief", "role-dispute", "role-transition",
                                  "interpersonal-deficits")) >= 4, areas
    assert populations["adolescent"] >= 2 and populations["older-adult"] >= 3 \
        and populations["perinatal"] >= 3, populations


def _assessed_safety_stages(vignette: dict) -> list[str]:
    """Stages tagged risk-collaboration where leaving out (or choosing) an option is a
    critical error: the safety decision counts, it is not decoration."""
    default = vignette.get("competencies", [])
    return [stage["id"] for stage in vignette["stages"]
            if "risk-collaboration" in stage.get("competencies", default)
            and any(o.get("required") or o.get("critical") for o in stage.get("options", []))]


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_every_vignette_assesses_a_safety_decision(path):
    assert _assessed_safety_stages(_vignette(path)), f"{path.name}: no assessed safety stage"


# The sections issue 16 asked for, with a word each of their check questions must use.
NEW_SECTIONS = {
    ("ipt-techniques", "directive-adjunctive.md"): ("advice", "limit", "direct help",
                                                    "model"),
    ("ipt-delivery-formats", "remote-telephone.md"): ("video", "telephone", "location"),
    ("ipt-delivery-formats", "conjoint-procedures.md"): ("joint", "partner", "couple"),
    ("ipt-clinical-practice", "therapist-reactions-boundaries.md"): ("gift", "boundar",
                                                                     "reaction",
                                                                     "self-disclos"),
    ("ipt-clinical-practice", "difficult-situations.md"): ("silen", "missed", "overdose",
                                                           "absence", "hostil"),
    ("ipt-clinical-practice", "using-supervision.md"): ("supervis", "record", "self-rat"),
    ("ipt-clinical-practice", "metacompetences.md"): ("adapt", "drift"),
    ("ipt-clinical-practice", "measurement-based-care.md"): ("phq-9", "remission",
                                                            "relapse", "recurrence"),
    ("ipt-adaptations-lifespan", "named-adaptations-young-old.md"): ("ipt-ast", "fb-ipt",
                                                                     "ipsrt-a", "ipt-ci"),
    ("ipt-adaptations-conditions", "named-adaptations-settings.md"): ("dysthymi",
                                                                      "persistent",
                                                                      "counselling", "ipc",
                                                                      "heart"),
    ("ipt-adaptations-conditions", "comorbidity.md"): ("alcohol", "ptsd", "personality"),
}


@pytest.mark.parametrize("module,section", sorted(NEW_SECTIONS), ids=lambda v: str(v))
def test_each_new_section_is_taught_and_asked_about(module, section):
    data = MODULES[module]
    assert section in [s["file"] for s in data["sections"]]
    questions = " ".join(q["prompt"] + " " + " ".join(o["label"] for o in q["options"])
                         for q in data["check"]["questions"]).lower()
    assert any(word in questions for word in NEW_SECTIONS[(module, section)])
