"""What a profile page shows: estimates, history, checklists and the next steps, as a view
model (plain JSON data) kept per trainee until what it reads changes (trainer/viewcache.py)."""

from dataclasses import asdict

from trainer.charts.figures import profile_bars, profile_history
from trainer.competency import queries, services
from trainer.competency.engine import estimate_competencies
from trainer.curriculum.queries import catalogue as module_catalogue
from trainer.viewcache import cached, trainee_stamp
from trainer.vignettes.queries import catalogue as vignette_catalogue


def trainee_overview(trainee_id: int, organisation_id: int, *, with_steps: bool) -> dict:
    """The profile, its history, the checklists and (for the trainee) what to do next."""
    scope = f"overview:{organisation_id}:{trainee_id}:{int(with_steps)}"
    return cached(scope, trainee_stamp(organisation_id, trainee_id),
                  lambda: build_overview(trainee_id, organisation_id, with_steps=with_steps))


def build_overview(trainee_id: int, organisation_id: int, *, with_steps: bool) -> dict:
    """The overview built from the evidence (what trainee_overview keeps)."""
    framework = queries.framework()
    items = queries.evidence([trainee_id], organisation_id).get(trainee_id, [])
    estimates = estimate_competencies(framework, items) if framework else []
    history = queries.history(trainee_id, organisation_id, items, framework)
    pathways = services.offered_pathways(organisation_id)
    checklists = services.checklists([trainee_id], organisation_id, pathways,
                                     {trainee_id: estimates})[trainee_id]
    levels = framework["levels"] if framework else []
    return {
        "framework": framework is not None, "estimates": [asdict(e) for e in estimates],
        "levels": levels, "profile_figure": profile_bars(estimates, levels),
        "history_figure": profile_history(history),
        "checklists": [checklist_view(c) for c in checklists],
        "next_steps": next_steps(trainee_id, organisation_id, estimates, checklists)
        if with_steps else [],
    }


def checklist_view(checklist: services.Checklist) -> dict:
    """A checklist as the pages show it."""
    return {"pathway": {"key": checklist.pathway.key, "title": checklist.pathway.title},
            "met": checklist.met, "total": checklist.total,
            "result": {"eligible": checklist.result.eligible,
                       "requirements": [asdict(r) for r in checklist.result.requirements]}}


def next_steps(trainee_id: int, organisation_id: int, estimates, checklists) -> list[dict]:
    """Links that would close the nearest gaps: a module, a vignette, the cases."""
    unmet = {r.id for c in checklists for r in c.result.requirements if not r.met}
    steps = []
    modules = module_catalogue(trainee_id, organisation_id)
    weakest = sorted((e for e in estimates), key=lambda e: (e.level, e.estimate or 0))
    weak_ids = [e.id for e in weakest[:3]]
    open_modules = [e for e in modules if not e.progress.passed and not e.locked]
    tagged = [e for e in open_modules if set(e.module.data["competencies"]) & set(weak_ids)]
    for entry in (tagged or open_modules)[:1]:
        steps.append({"kind": "module", "key": entry.module.key,
                      "text": f"Study “{entry.module.title}” and pass its check"})
    if unmet & {"vignettes.passed_min", "vignettes.problem_areas", "competencies.min_level"}:
        rows = [r for r in vignette_catalogue(trainee_id, organisation_id, {}) if not r.passed]
        for row in rows[:1]:
            steps.append({"kind": "vignette", "key": row.vignette.key,
                          "text": f"Work the vignette “{row.vignette.title}”"})
    if any(rid.startswith("supervised_cases.") for rid in unmet):
        steps.append({"kind": "cases", "key": "",
                      "text": "Continue your supervised cases: log sessions, upload recordings"})
    return steps
