"""The cohort page's view model: levels by trainee and competency, who is eligible for each
pathway and the score distributions, kept per organisation and cohort until what it reads
changes (trainer/viewcache.py)."""

from sqlalchemy import Integer, cast, func, select

from trainer.auth.models import User
from trainer.cases.models import CaseSession, TrainingCase
from trainer.charts.figures import cohort_heatmap, histogram
from trainer.competency import queries, services
from trainer.competency.snapshots import cached_profiles
from trainer.extensions import db
from trainer.orgs.models import CohortMember, Membership
from trainer.supervision.models import SessionRating
from trainer.viewcache import cached, organisation_stamp
from trainer.vignettes.models import VignetteAttempt


def cohort_view(organisation_id: int, cohort_id: int | None) -> dict:
    """The cohort page's data for the organisation's trainees, or one cohort's."""
    return cached(f"cohort:{organisation_id}:{cohort_id or 0}",
                  organisation_stamp(organisation_id),
                  lambda: build_cohort_view(organisation_id, cohort_id))


PAGE_SIZE = 100  # trainees per page of the levels table and heatmap


def cohort_page(view: dict, page: int) -> dict:
    """One page of the cohort's trainees with their levels and its heatmap; the page number
    is brought into range."""
    total = len(view["trainees"])
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    shown = view["trainees"][start:start + PAGE_SIZE]
    levels = view["levels"][start:start + PAGE_SIZE]
    return {"shown": shown, "shown_levels": levels, "page": page, "pages": pages,
            "first": start + 1, "last": start + len(shown), "total": total,
            "heatmap": cohort_heatmap([t["name"] for t in shown],
                                      [c["title"] for c in view["competencies"]], levels,
                                      view["top_level"])}


def cohort_members(org_id: int, cohort_id: int | None):
    """A query of the ids of the organisation's active trainees (or one cohort's)."""
    query = select(Membership.user_id).where(
        Membership.organisation_id == org_id, Membership.role == "trainee",
        Membership.active.is_(True))
    if cohort_id:
        query = query.where(Membership.user_id.in_(select(CohortMember.user_id).where(
            CohortMember.cohort_id == cohort_id)))
    return query


def build_cohort_view(org_id: int, cohort_id: int | None) -> dict:
    """The view model built from the snapshots and the evidence."""
    members = cohort_members(org_id, cohort_id)
    trainees = [{"id": uid, "name": name} for uid, name in db.session.execute(
        select(User.id, User.name).where(User.id.in_(members)).order_by(User.name))]
    framework = queries.framework() or {"competencies": [], "levels": []}
    ids = [t["id"] for t in trainees]
    profiles = cached_profiles(ids, org_id, members)
    pathways = services.offered_pathways(org_id)
    eligible_sets = services.eligible_ids(ids, org_id, pathways, profiles, members)
    levels = [[e.level for e in profiles.get(t["id"], [])] for t in trainees]
    top = max((lv["level"] for lv in framework["levels"]), default=4)
    return {
        "trainees": trainees,
        "competencies": [{"id": c["id"], "title": c["title"]}
                         for c in framework["competencies"]],
        "levels": levels, "top_level": top,
        "pathways": [{"key": p.key, "title": p.title} for p in pathways],
        "eligible": {p.key: [t for t in trainees if t["id"] in eligible_sets[p.key]]
                     for p in pathways},
        "vignette_hist": histogram(
            _vignette_scores(org_id, members), "Vignette score",
            [f"{b / 10:.1f}–{(b + 1) / 10:.1f}" for b in range(10)] + ["1.0"]),
        "rating_hist": histogram(_rating_means(org_id, members), "Session rating mean",
                                 [f"{1 + b / 4:.2f}" for b in range(17)]),
    }


def _vignette_scores(org_id: int, ids) -> dict[int, int]:
    """Scored (not pending) attempts per tenth of the score range, counted in SQL."""
    bucket = cast(VignetteAttempt.score * 10, Integer)
    return dict(db.session.execute(
        select(bucket, func.count()).where(
            VignetteAttempt.organisation_id == org_id, VignetteAttempt.user_id.in_(ids),
            VignetteAttempt.status != "pending", VignetteAttempt.score.is_not(None))
        .group_by(bucket)).all())


def _rating_means(org_id: int, ids) -> dict[int, int]:
    """Supervisor ratings per quarter point of the mean (from 1), counted in SQL."""
    bucket = cast((SessionRating.mean - 1) * 4, Integer)
    return dict(db.session.execute(
        select(bucket, func.count()).join(CaseSession).join(TrainingCase).where(
            TrainingCase.organisation_id == org_id, TrainingCase.trainee_id.in_(ids),
            SessionRating.status == "submitted", SessionRating.purpose != "self",
            SessionRating.mean.is_not(None)).group_by(bucket)).all())
