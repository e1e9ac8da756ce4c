"""Knowledge-check scoring and what a result may show: pure functions over a check's data."""

from dataclasses import dataclass

from trainer.errors import DomainError
from trainer.scoring.presentation import ordered

DEFAULT_REVEAL = "on-pass"
DEFAULT_COOLDOWN_MINUTES = 10


@dataclass(frozen=True)
class QuestionResult:
    """Whether one question was answered right, with the feedback to show."""

    id: str
    correct: bool
    chosen: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    """The score (fraction right, 4 places), pass/fail and each question's result."""

    score: float
    passed: bool
    questions: tuple[QuestionResult, ...]


def asked_questions(check: dict, asked: list[str] | None = None) -> list[dict]:
    """The questions of one attempt, in the order asked (all of them when none is given)."""
    if asked is None:
        return list(check["questions"])
    by_id = {q["id"]: q for q in check["questions"]}
    return [by_id[qid] for qid in asked if qid in by_id]


def validate_check_answers(check: dict, answers: object,
                           asked: list[str] | None = None) -> dict[str, list[str]]:
    """Normalised answers to the questions asked, or DomainError listing every unknown,
    missing or bad answer (a question of the pool that was not asked is unknown)."""
    if not isinstance(answers, dict):
        raise DomainError("answers must map question ids to lists of option ids.",
                          field="answers")
    problems: dict[str, list[str]] = {}
    questions = {q["id"]: q for q in asked_questions(check, asked)}
    for qid in answers:
        if qid not in questions:
            problems[f"answers.{qid}"] = [f"Unknown question '{qid}': answer the questions "
                                          "this attempt asks."]
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
    """Right when the chosen set equals the correct set; passed when score >= pass_mark. The
    questions scored are those answered (the attempt's draw), in the order answered."""
    asked = asked_questions(check, list(answers))
    results = tuple(_score_question(q, answers[q["id"]]) for q in asked)
    right = sum(1 for r in results if r.correct)
    score = round(right / len(results), 4)
    return CheckResult(score=score, passed=right / len(results) >= check["pass_mark"],
                       questions=results)


def _score_question(question: dict, chosen: list[str]) -> QuestionResult:
    correct_ids = {o["id"] for o in question["options"] if o["correct"]}
    return QuestionResult(id=question["id"], correct=set(chosen) == correct_ids,
                          chosen=tuple(chosen))


def public_question(question: dict, order: list[str] | None = None) -> dict:
    """A question as a trainee may see it before submitting, its options in the order given:
    no correct flags, no feedback."""
    question = ordered(question, order)
    return {"id": question["id"], "prompt": question["prompt"], "kind": question["kind"],
            "options": [{"id": o["id"], "label": o["label"]} for o in question["options"]]}


def reveals_key(check: dict, passed: bool) -> bool:
    """Whether a result may show the key and every option's feedback: once the module is
    passed, or always when the check says `reveal: always`."""
    return passed or check.get("reveal", DEFAULT_REVEAL) == "always"


def question_feedback(question: dict, chosen: list[str], order: list[str] | None,
                      reveal: bool) -> list[dict]:
    """The feedback a result shows for one question, options in the order shown: before
    the key is revealed only the chosen options, with no word of which is correct."""
    shown = ordered(question, order)["options"]
    if not reveal:
        return [{"option": o["id"], "label": o["label"], "chosen": True, "text": o["feedback"]}
                for o in shown if o["id"] in chosen]
    return [{"option": o["id"], "label": o["label"], "chosen": o["id"] in chosen,
             "correct": o["correct"], "text": o["feedback"]} for o in shown]
