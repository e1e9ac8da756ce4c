"""Reference checks per content kind, against a catalogue of known ids."""

from trainer.content.validate import Catalogue

Problem = tuple[str, str]


def _competencies(ids, path: str, catalogue: Catalogue) -> list[Problem]:
    problems = []
    for i, ident in enumerate(ids or []):
        if ident not in catalogue.competencies:
            hint = "" if catalogue.has_framework else " (no competency framework is loaded)"
            problems.append((f"{path}.{i}", f"unknown competency '{ident}'{hint}"))
    return problems


def _problem_areas(ids, path: str, catalogue: Catalogue) -> list[Problem]:
    known = ", ".join(sorted(catalogue.problem_areas))
    return [(f"{path}.{i}", f"unknown problem area '{ident}' (known: {known})")
            for i, ident in enumerate(ids or []) if ident not in catalogue.problem_areas]


def _modules(ids, path: str, catalogue: Catalogue) -> list[Problem]:
    return [(f"{path}.{i}", f"unknown module '{ident}'")
            for i, ident in enumerate(ids or []) if ident not in catalogue.modules]


def module_references(data: dict, catalogue: Catalogue) -> list[Problem]:
    """Prerequisites and competencies exist."""
    return (_modules(data["prerequisites"], "prerequisites", catalogue)
            + _competencies(data["competencies"], "competencies", catalogue))


def vignette_references(data: dict, catalogue: Catalogue) -> list[Problem]:
    """Competencies (vignette and stages) and problem areas exist."""
    problems = _competencies(data.get("competencies"), "competencies", catalogue)
    problems += _problem_areas(data["problem_areas"], "problem_areas", catalogue)
    for stage in data["stages"]:
        problems += _competencies(stage.get("competencies"),
                                  f"stages.{stage['id']}.competencies", catalogue)
    return problems


def scale_references(data: dict, catalogue: Catalogue) -> list[Problem]:
    """Every item's competencies exist."""
    problems = []
    for item in data["items"]:
        problems += _competencies(item["competencies"], f"items.{item['id']}.competencies",
                                  catalogue)
    return problems


def pathway_references(data: dict, catalogue: Catalogue) -> list[Problem]:
    """Modules, problem areas, competencies, levels and certificates exist."""
    req = data["requirements"]
    problems = []
    if isinstance(req.get("modules"), list):
        problems += _modules(req["modules"], "requirements.modules", catalogue)
    problems += _problem_areas((req.get("vignettes") or {}).get("problem_areas"),
                               "requirements.vignettes.problem_areas", catalogue)
    competencies = req.get("competencies") or {}
    problems += _competencies(competencies.get("ids"), "requirements.competencies.ids",
                              catalogue)
    level = competencies.get("min_level")
    if level is not None and catalogue.levels and level > max(catalogue.levels):
        problems.append(("requirements.competencies.min_level",
                         f"the framework's highest level is {max(catalogue.levels)}"))
    if req.get("certificate") and req["certificate"] not in catalogue.pathways:
        problems.append(("requirements.certificate", f"unknown pathway '{req['certificate']}'"))
    return problems


REFERENCE_CHECKS = {
    "framework": lambda data, catalogue: [],
    "module": module_references,
    "vignette": vignette_references,
    "scale": scale_references,
    "pathway": pathway_references,
}
