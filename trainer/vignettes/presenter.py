"""The attempt object of the API spec, built once for the API and the result page."""

from trainer.scoring.engine import expert_key
from trainer.scoring.presentation import ordered
from trainer.vignettes.models import VignetteAttempt

AUTHORS_PANEL = "Partial credit set by the content authors where experts differ."


def attempt_object(attempt: VignetteAttempt, data: dict | None = None) -> dict:
    """The attempt with per-option feedback and expert keys (only ever after submission);
    `data`, the vignette's document, when the caller has it (else the attempt's vignette)."""
    stages = {stage["id"]: stage for stage in (data or attempt.vignette.data)["stages"]}
    presented = presented_orders(attempt.presented, stages.values())
    return {
        "id": attempt.id,
        "vignette_id": attempt.vignette_key,
        "vignette_version": attempt.vignette_version,
        "submitted_at": attempt.submitted_at.isoformat(),
        "score": attempt.score,
        "provisional": attempt.provisional,
        "status": attempt.status,
        "critical_errors": list(attempt.critical_errors),
        "presented": presented,
        "stages": [_stage(stages[result["id"]], result, presented.get(result["id"]))
                   for result in attempt.stage_results],
    }


def presented_orders(stored: dict | None, stages) -> dict[str, list[str]]:
    """Stage id -> option ids as shown; attempts from before orders were drawn were shown
    in file order."""
    if stored is not None:
        return stored
    return {stage["id"]: [o["id"] for o in stage["options"]]
            for stage in stages if stage.get("options")}


def panel_note(stage: dict) -> str | None:
    """Where a panel stage's partial credit comes from, in words a trainee may be shown."""
    source = stage.get("panel_source") if stage.get("scoring") == "panel" else None
    if source is None:
        return None
    if source["kind"] == "convened":
        return (f"Partial credit from the answers of a panel of {source['size']} clinicians "
                f"({source['date']}).")
    return AUTHORS_PANEL


def _stage(stage: dict, result: dict, order: list[str] | None) -> dict:
    """One stage's result, its options listed in the order shown (the key by file order)."""
    if stage["kind"] == "text":
        return {"id": stage["id"], "kind": "text", "score": result["score"],
                "text": result["text"], "level": result["level"],
                "model_answer": stage["model_answer"], "levels": stage["levels"],
                "selected": [], "feedback": [], "expert_key": []}
    selected = list(result["selected"])
    value = "panel" if stage.get("scoring") == "panel" else "points"
    feedback = [{"option": option["id"], value: option[value],
                 "chosen": option["id"] in selected, "text": option["feedback"]}
                for option in ordered(stage, order)["options"]]
    item = {"id": stage["id"], "kind": stage["kind"], "score": result["score"],
            "selected": selected, "feedback": feedback, "expert_key": expert_key(stage)}
    note = panel_note(stage)
    if note:
        item["panel_note"] = note
    return item


def public_stage(stage: dict, order: list[str] | None = None) -> dict:
    """A stage as a trainee may see it before submitting, its options in the order given:
    no rubric of any kind."""
    stage = ordered(stage, order)
    kind = stage["kind"]
    max_choices = None
    if kind == "single":
        max_choices = 1
    elif kind == "multiple":
        max_choices = stage.get("max_choices") or len(stage["options"])
    return {"id": stage["id"], "title": stage["title"], "prompt": stage["prompt"], "kind": kind,
            "max_choices": max_choices,
            "options": [{"id": o["id"], "label": o["label"]} for o in stage.get("options", [])]}
