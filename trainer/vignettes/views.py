"""Vignette pages: catalogue, introduction, stage-by-stage player, review, results."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.auth.models import User
from trainer.curriculum.policy import can_view_progress
from trainer.errors import DomainError
from trainer.extensions import db
from trainer.orgs.policy import is_member
from trainer.vignettes import queries, services
from trainer.vignettes.forms import StartForm, SubmitForm, stage_form
from trainer.vignettes.models import VignetteAttempt
from trainer.vignettes.presenter import attempt_object, public_stage
from trainer.web.context import current_membership
from trainer.web.converters import db_int
from trainer.web.guards import role_required
from trainer.web.transaction import discard, keep_access_record

bp = Blueprint("vignettes", __name__, template_folder="templates", url_prefix="/vignettes")
ANY_ROLE = ("trainee", "supervisor", "admin")
FILTERS = ("problem_area", "population", "condition", "difficulty")


def _org_id() -> int:
    return current_membership().organisation_id


def _is_trainee() -> bool:
    return current_membership().role == "trainee"


@bp.route("/")
@role_required(*ANY_ROLE)
def catalogue():
    filters = {name: request.args.get(name, "").strip() for name in FILTERS}
    filters["difficulty"] = request.args.get("difficulty", type=db_int)
    user_id = current_user.id if _is_trainee() else None
    rows = queries.catalogue(user_id, _org_id(), filters)
    return render_template("vignettes/catalogue.html", rows=rows, filters=filters,
                           choices=queries.filter_choices(), is_trainee=_is_trainee())


@bp.route("/<key>")
@role_required(*ANY_ROLE)
def intro(key: str):
    vignette = queries.vignette_by_key(key) or abort(404)
    attempts, draft = [], None
    if _is_trainee():
        attempts = queries.attempts_of(current_user.id, _org_id(), key)
        draft = services.find_draft(current_user.id, _org_id(), key)
    return render_template("vignettes/intro.html", vignette=vignette, attempts=attempts,
                           draft=draft, form=StartForm(), is_trainee=_is_trainee())


@bp.route("/<key>/start", methods=["POST"])
@role_required("trainee")
def start(key: str):
    vignette = queries.vignette_by_key(key) or abort(404)
    if StartForm().validate_on_submit():
        draft = services.start_draft(current_user, _org_id(), vignette)
        stages = draft.vignette.data["stages"]
        first_open = next((i for i, s in enumerate(stages, 1) if s["id"] not in draft.answers),
                          None)
        if first_open is None:
            return redirect(url_for("vignettes.review", key=key), code=303)
        return redirect(url_for("vignettes.stage", key=key, number=first_open), code=303)
    return redirect(url_for("vignettes.intro", key=key), code=303)


def _draft_or_redirect(key: str):
    draft = services.find_draft(current_user.id, _org_id(), key)
    if draft is None:
        flash("Start the vignette first; your answers are saved as you go.", "info")
    return draft


@bp.route("/<key>/stages/<int:number>", methods=["GET", "POST"])
@role_required("trainee")
def stage(key: str, number: int):
    draft = _draft_or_redirect(key)
    if draft is None:
        return redirect(url_for("vignettes.intro", key=key))
    stages = draft.vignette.data["stages"]
    if not 1 <= number <= len(stages):
        abort(404)
    first_open = services.first_unanswered(draft)
    if first_open is not None and number > first_open:
        flash(f"Answer stage {first_open} first: each stage follows on from the one before.",
              "info")
        return redirect(url_for("vignettes.stage", key=key, number=first_open))
    if services.open_page(draft, number):
        keep_access_record()  # what this page shows freezes the stages before it
    frozen = services.is_frozen(draft, number)
    current = stages[number - 1]
    shown = public_stage(current, services.draft_presentation(draft).get(current["id"]))
    saved = draft.answers.get(current["id"])
    if saved and current["kind"] == "single":
        saved = saved[0]  # a radio group holds one value
    form = stage_form(shown, data={"answer": saved} if saved else None)
    if form.validate_on_submit():
        try:
            services.save_stage_answer(draft, current, _as_answer(current, form.answer.data))
        except DomainError as exc:
            discard()
            if frozen:  # show the answer that stands, not the one refused
                form = stage_form(shown, formdata=None, data={"answer": saved})
            form.answer.errors = [*form.answer.errors, *_messages(exc)]
        else:
            if number < len(stages):
                return redirect(url_for("vignettes.stage", key=key, number=number + 1), code=303)
            return redirect(url_for("vignettes.review", key=key), code=303)
    reveals = [(s, s["reveal"]) for s in stages[: number - 1]
               if s.get("reveal") and s["id"] in draft.answers]
    return render_template("vignettes/stage.html", draft=draft, vignette=draft.vignette,
                           stage=shown, number=number, total=len(stages),
                           form=form, reveals=reveals, frozen=frozen,
                           next_open=first_open or len(stages) + 1)


def _as_answer(stage: dict, value):
    """A radio button gives one id; the engine takes a list for every choice stage."""
    return [value] if stage["kind"] != "text" and isinstance(value, str) else value


def _messages(exc: DomainError) -> list[str]:
    return [m for messages in exc.fields.values() for m in messages] or [exc.message]


@bp.route("/<key>/review")
@role_required("trainee")
def review(key: str):
    draft = _draft_or_redirect(key)
    if draft is None:
        return redirect(url_for("vignettes.intro", key=key))
    stages = draft.vignette.data["stages"]
    first_open = services.first_unanswered(draft)
    if first_open is not None:
        flash(f"Answer stage {first_open} before the review.", "info")
        return redirect(url_for("vignettes.stage", key=key, number=first_open))
    if services.open_page(draft, len(stages) + 1):
        keep_access_record()  # the review shows every reveal: every answer is now final
    reveals = [(s, s["reveal"]) for s in stages if s.get("reveal")]
    orders = services.draft_presentation(draft)
    return render_template("vignettes/review.html", draft=draft, vignette=draft.vignette,
                           stages=[public_stage(s, orders.get(s["id"])) for s in stages],
                           reveals=reveals,
                           form=SubmitForm(token=draft.token))


@bp.route("/<key>/submit", methods=["POST"])
@role_required("trainee")
def submit(key: str):
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    done = services.attempt_by_key(current_user.id, f"draft:{form.token.data}")
    if done is not None:  # a second click, or the back button: show the first result
        return redirect(url_for("vignettes.attempt", attempt_id=done.id), code=303)
    draft = _draft_or_redirect(key)
    if draft is None or draft.token != form.token.data:
        return redirect(url_for("vignettes.intro", key=key), code=303)
    try:
        attempt = services.submit_draft(current_user, draft)
    except DomainError as exc:
        discard()
        flash("Answer every stage before submitting: " + "; ".join(_messages(exc)), "error")
        return redirect(url_for("vignettes.review", key=key), code=303)
    return redirect(url_for("vignettes.attempt", attempt_id=attempt.id), code=303)


@bp.route("/attempts/<int:attempt_id>")
@role_required(*ANY_ROLE)
def attempt(attempt_id: int):
    attempt = db.session.get(VignetteAttempt, attempt_id)
    if attempt is None or not is_member(current_user, attempt.organisation_id) \
            or not can_view_progress(current_user, attempt.user, attempt.organisation_id):
        abort(404)
    stages = {s["id"]: s for s in attempt.vignette.data["stages"]}
    return render_template("vignettes/attempt.html", attempt=attempt,
                           result=attempt_object(attempt), stages=stages,
                           vignette=attempt.vignette)


@bp.route("/trainees/<int:user_id>")
@role_required("supervisor", "admin")
def trainee_attempts(user_id: int):
    org_id = _org_id()
    trainee = db.session.get(User, user_id)
    if trainee is None or not any(m.organisation_id == org_id and m.role == "trainee"
                                  for m in trainee.memberships) \
            or not can_view_progress(current_user, trainee, org_id):
        abort(404)
    return render_template("vignettes/trainee_attempts.html", trainee=trainee,
                           attempts=queries.attempts_of(trainee.id, org_id))
