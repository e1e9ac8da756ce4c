"""Scoring speed: scores every vignette's expert attempt for about two seconds; no Flask app."""

import sys
import time
from pathlib import Path

import yaml

from trainer.scoring.engine import expert_key, score_attempt, stage_max

VIGNETTES = Path(__file__).resolve().parent.parent / "vignettes"
SECONDS = 2.0


def expert_attempt(vignette: dict) -> tuple[dict, dict]:
    """The expert key for each choice stage and the top level for each text stage."""
    answers, levels = {}, {}
    for stage in vignette["stages"]:
        if stage["kind"] == "text":
            answers[stage["id"]] = "The model answer."
            levels[stage["id"]] = stage_max(stage)
        else:
            key = expert_key(stage)
            answers[stage["id"]] = key[:1] if stage["kind"] == "single" else key
    return answers, levels


def load_attempts() -> list[tuple[dict, dict, dict]]:
    """Every vignette in vignettes/ with its expert attempt."""
    attempts = []
    for path in sorted(VIGNETTES.glob("*.y*ml")):
        vignette = yaml.safe_load(path.read_text(encoding="utf-8"))
        attempts.append((vignette, *expert_attempt(vignette)))
    return attempts


def run(attempts: list[tuple[dict, dict, dict]], seconds: float) -> tuple[int, float]:
    """Score the attempts round after round until `seconds` pass; return (count, elapsed)."""
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for vignette, answers, levels in attempts:
            score_attempt(vignette, answers, levels)
        count += len(attempts)
    return count, elapsed


def main() -> int:
    """Print attempts scored per second and the mean time per attempt."""
    attempts = load_attempts()
    if not attempts:
        print(f"No vignettes in {VIGNETTES}", file=sys.stderr)
        return 1
    run(attempts, 0.2)  # warm-up
    count, elapsed = run(attempts, SECONDS)
    stages = sum(len(vignette["stages"]) for vignette, _, _ in attempts) / len(attempts)
    print(f"{len(attempts)} vignettes, {stages:.1f} stages each on average")
    print(f"{count} attempts in {elapsed:.2f} s: {count / elapsed:,.0f} attempts/s")
    print(f"mean {elapsed / count * 1e6:.1f} µs per attempt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
