"""Knowledge-check scoring: pure functions over a module's check data."""

from dataclasses import dataclass

from trainer.errors import DomainError


@dataclass(frozen=True)
class QuestionResult:
    """Whether one question was answered right, with the feedback to show."""

    id: str
    correct: bool
    chosen: tuple[str, ...]
    feedback: tuple[dict, ...]


@dataclass(frozen=True)
class CheckResult:
    """The score (fraction right, 4 places), pass/fail and each question's result."""

    score: float
    passed: bool
    questions: tuple[QuestionResult, ...]


def validate_check_answers(check: dict, answers: object) -> dict[str, list[str]]:
    """Normalised answers, or DomainError listing every unknown, missing or bad answer."""
    if not isinstance(answers, dict):
        raise DomainError("answers must map question ids to lists of option ids.",
                          field="answers")
    problems: dict[str, list[str]] = {}
    questions = {q["id"]: q for q in check["questions"]}
    for qid in answers:
        if qid not in questions:
            problems[f"answers.{qid}"] = [f"Unknown question '{qid}'."]
    for qid, question in questions.items():
        message = _answer_problem(question, answers.get(qid))
        if message:
            problems[f"answers.{qid}"] = [message]
    if problems:
        raise DomainError("Some answers are missing or invalid.", fields=problems)
    return {qid: list(answers[qid]) for qid in questions}


def _answer_problem(question: dict, chosen) -> str | None:
    if chosen is None or chosen == []:
        return "Answer this question."
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        return "Give a list of option ids."
    options = {o["id"] for o in question["options"]}
    unknown = [c for c in chosen if c not in options]
    if unknown:
        return f"Unknown option '{unknown[0]}'."
    if len(set(chosen)) != len(chosen):
        return "An option is chosen twice."
    if question["kind"] == "single" and len(chosen) != 1:
        return "Choose exactly one option."
    return None


def score_check(check: dict, answers: dict[str, list[str]]) -> CheckResult:
    """Right when the chosen set equals the correct set; passed when score >= pass_mark."""
    results = tuple(_score_question(q, answers[q["id"]]) for q in check["questions"])
    right = sum(1 for r in results if r.correct)
    score = round(right / len(results), 4)
    return CheckResult(score=score, passed=right / len(results) >= check["pass_mark"],
                       questions=results)


def _score_question(question: dict, chosen: list[str]) -> QuestionResult:
    correct_ids = {o["id"] for o in question["options"] if o["correct"]}
    feedback = tuple(
        {"option": o["id"], "label": o["label"], "chosen": o["id"] in chosen,
         "correct": o["correct"], "text": o["feedback"]}
        for o in question["options"] if o["id"] in chosen or o["correct"]
    )
    return QuestionResult(id=question["id"], correct=set(chosen) == correct_ids,
                          chosen=tuple(chosen), feedback=feedback)


def public_question(question: dict) -> dict:
    """A question as a trainee may see it before submitting: no correct flags, no feedback."""
    return {"id": question["id"], "prompt": question["prompt"], "kind": question["kind"],
            "options": [{"id": o["id"], "label": o["label"]} for o in question["options"]]}
