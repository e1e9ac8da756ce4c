"""The attempt object of the API spec, built once for the API and the result page."""

from trainer.scoring.engine import expert_key
from trainer.vignettes.models import VignetteAttempt


def attempt_object(attempt: VignetteAttempt, data: dict | None = None) -> dict:
    """The attempt with per-option feedback and expert keys (only ever after submission);
    `data`, the vignette's document, when the caller has it (else the attempt's vignette)."""
    stages = {stage["id"]: stage for stage in (data or attempt.vignette.data)["stages"]}
    return {
        "id": attempt.id,
        "vignette_id": attempt.vignette_key,
        "vignette_version": attempt.vignette_version,
        "submitted_at": attempt.submitted_at.isoformat(),
        "score": attempt.score,
        "provisional": attempt.provisional,
        "status": attempt.status,
        "critical_errors": list(attempt.critical_errors),
        "stages": [_stage(stages[result["id"]], result) for result in attempt.stage_results],
    }


def _stage(stage: dict, result: dict) -> dict:
    if stage["kind"] == "text":
        return {"id": stage["id"], "kind": "text", "score": result["score"],
                "text": result["text"], "level": result["level"],
                "model_answer": stage["model_answer"], "levels": stage["levels"],
                "selected": [], "feedback": [], "expert_key": []}
    selected = list(result["selected"])
    value = "panel" if stage.get("scoring") == "panel" else "points"
    feedback = [{"option": option["id"], value: option[value],
                 "chosen": option["id"] in selected, "text": option["feedback"]}
                for option in stage["options"]]
    return {"id": stage["id"], "kind": stage["kind"], "score": result["score"],
            "selected": selected, "feedback": feedback, "expert_key": expert_key(stage)}


def public_stage(stage: dict) -> dict:
    """A stage as a trainee may see it before submitting: no rubric of any kind."""
    kind = stage["kind"]
    max_choices = None
    if kind == "single":
        max_choices = 1
    elif kind == "multiple":
        max_choices = stage.get("max_choices") or len(stage["options"])
    return {"id": stage["id"], "title": stage["title"], "prompt": stage["prompt"], "kind": kind,
            "max_choices": max_choices,
            "options": [{"id": o["id"], "label": o["label"]} for o in stage.get("options", [])]}
