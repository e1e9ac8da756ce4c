"""Item analysis pages for organisation admins (their organisation) and platform admins (all)."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.itemanalysis import policy, queries
from trainer.itemanalysis.figures import facility_discrimination
from trainer.itemanalysis.report import csv_text, labels
from trainer.itemanalysis.schemas import parse_args
from trainer.web.context import current_membership
from trainer.web.guards import authorise

bp = Blueprint("itemanalysis", __name__, template_folder="templates",
               url_prefix="/item-analysis")
KINDS = {"checks": "check", "vignettes": "vignette"}
FLAGS = {"easy": "easy (facility above 0.95)", "hard": "hard (facility below 0.20)",
         "low-discrimination": "low discrimination (below 0.15)",
         "unused-option": "nobody chose option {}",
         "distractor-upper": "the upper group chose distractor {} more than the key",
         "too-few": "too few attempts to judge (under 30)"}


def flag_text(flag: str) -> str:
    """A flag in words for the page (the API and CSV keep the codes)."""
    code, _, option = flag.partition(":")
    return FLAGS.get(code, code).format(option)


def _organisation(slug: str | None):
    """Whose attempts the caller gets (None: every organisation's); 403 for anyone but an
    admin, 404 for a platform admin naming an unknown organisation."""
    requested = queries.organisation_by_slug(slug) if slug else None
    if slug and requested is None and current_user.is_platform_admin:
        abort(404)
    membership = current_membership()
    own = membership.organisation if membership and membership.role == "admin" else None
    organisation = policy.organisation_in_view(current_user, own, requested)
    authorise(policy.can_analyse(current_user, organisation))
    return organisation


def _analysis(kinds: str, key: str) -> dict:
    """Parse, authorise, load and analyse: what the page and its CSV show."""
    args = parse_args(request.args)
    organisation = _organisation(args["organisation"])
    row = queries.content(KINDS[kinds], key, args["version"]) or abort(404)
    return {"body": queries.item_analysis(KINDS[kinds], row, organisation, args["attempts"]),
            "row": row, "args": args, "organisation": organisation}


@bp.route("/")
@login_required
def index():
    args = parse_args(request.args)
    _organisation(args["organisation"])
    chooser = _chooser(args)
    kinds, _, key = request.args.get("item", "").partition("/")
    if kinds in KINDS and key:  # the chooser's form: go to the page of what was chosen
        return redirect(url_for("itemanalysis.detail", kinds=kinds, key=key,
                                attempts=args["attempts"],
                                organisation=chooser["chosen_organisation"]))
    return render_template("itemanalysis/index.html", catalogue=queries.catalogue(), **chooser)


@bp.route("/<any(checks, vignettes):kinds>/<key>")
@login_required
def detail(kinds: str, key: str):
    shown = _analysis(kinds, key)
    body = shown["body"]
    return render_template(
        "itemanalysis/detail.html", **shown, kinds=kinds, flag_text=flag_text,
        labels=labels(body["kind"], shown["row"].data), catalogue=queries.catalogue(),
        figure=facility_discrimination(body["items"]), versions=queries.versions(body["kind"], key),
        **_chooser(shown["args"]))


@bp.route("/<any(checks, vignettes):kinds>/<key>.csv")
@login_required
def detail_csv(kinds: str, key: str):
    body = _analysis(kinds, key)["body"]
    name = f"item-analysis-{body['kind']}-{body['id']}-v{body['version']}-{body['attempts']}.csv"
    return Response(csv_text(body), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _chooser(args: dict) -> dict:
    """What the chooser offers beside the item: organisations, for platform admins only (an
    organisation admin's slug is ignored, so it is not carried along either)."""
    if not current_user.is_platform_admin:
        return {"organisations": None, "chosen_organisation": None}
    return {"organisations": queries.organisations(), "chosen_organisation": args["organisation"]}
