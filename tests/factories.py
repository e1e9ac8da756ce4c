"""Factories: saved objects with sensible defaults."""

import itertools
from pathlib import Path

from trainer.auth.models import User
from trainer.auth.passwords import hash_password
from trainer.dataversion import CONTENT_SCOPE, bump, org_scope
from trainer.extensions import db
from trainer.orgs.models import Cohort, CohortMember, Membership, Organisation, SupervisorAssignment

DEFAULT_PASSWORD = "quiet-lantern-meadow-47"  # noqa: S105
TONE = Path(__file__).resolve().parent / "fixtures" / "session-tone.wav"


def good_rating(scale: dict, phase: str, score: int = 4, **extra) -> dict:
    """A complete rating of every item that applies to the phase."""
    items = {item["id"]: score for item in scale["items"] if phase in item["phases"]}
    return {"items": items, "global": score, **extra}
_counter = itertools.count(1)


def saved(*, content: bool = False) -> None:
    """Commit what a factory made. Factories stand in for the services, which move the
    counters of what they change by name (trainer/dataversion.py): a factory cannot know
    which, so it moves every organisation's (test data is small), and the content counter
    for content, as a content sync does."""
    org_ids = db.session.scalars(db.select(Organisation.id)).all()
    bump(*([CONTENT_SCOPE] if content else []), *[org_scope(org_id) for org_id in org_ids])
    db.session.commit()


def module_data(key: str, *, prerequisites=(), order: int = 1, core: bool = True,
                body: str = "Some **teaching** text.", pass_mark: float = 0.5) -> dict:
    """A valid module's data: two sections and a two-question check (q1 single, q2 multiple)."""
    return {
        "id": key, "version": 1, "title": f"Module {key}", "order": order, "core": core,
        "minutes": 20, "prerequisites": list(prerequisites), "competencies": ["ipt-knowledge"],
        "objectives": ["Know the thing."],
        "sections": [{"title": "First", "file": "a.md", "body": body},
                     {"title": "Second", "file": "b.md", "body": "More text."}],
        "check": {"pass_mark": pass_mark, "cooldown_minutes": 0, "questions": [
            {"id": "q1", "prompt": "Which is right?", "kind": "single", "options": [
                {"id": "a", "label": "Right one", "correct": True, "feedback": "Yes, a."},
                {"id": "b", "label": "Wrong one", "correct": False, "feedback": "No, b."}]},
            {"id": "q2", "prompt": "Which are right?", "kind": "multiple", "options": [
                {"id": "a", "label": "First right", "correct": True, "feedback": "A ok."},
                {"id": "b", "label": "Second right", "correct": True, "feedback": "B ok."},
                {"id": "c", "label": "Wrong", "correct": False, "feedback": "C no."}]},
        ]},
    }


def vignette_data(key: str = "vig-a", *, version: int = 1) -> dict:
    """A valid vignette: a single formulation stage, a risk stage with required and critical
    options, and a text stage."""
    return {
        "id": key, "version": version, "title": f"Vignette {key}", "summary": "A short case.",
        "population": "adult", "format": "individual", "condition": "major-depression",
        "variant": "IPT", "problem_areas": ["grief"], "difficulty": 1,
        "competencies": ["formulation-contract"], "pass_mark": 0.7,
        "case": "Mrs A lost her husband **six months** ago.",
        "stages": [
            {"id": "focus", "title": "Choose the focus", "prompt": "Which problem area?",
             "kind": "single", "weight": 1.0, "reveal": "She agreed to work on grief.",
             "options": [
                 {"id": "grief", "label": "Grief", "points": 2, "required": False,
                  "critical": False, "feedback": "A death: grief fits."},
                 {"id": "transition", "label": "Role transition", "points": 1,
                  "required": False, "critical": False, "feedback": "Partly, but a death."},
                 {"id": "deficits", "label": "Interpersonal deficits", "points": 0,
                  "required": False, "critical": False, "feedback": "There is a life event."}]},
            {"id": "risk", "title": "Safety", "prompt": "She wishes she had died too.",
             "kind": "multiple", "max_choices": 2, "weight": 1.0,
             "competencies": ["risk-collaboration"], "options": [
                 {"id": "ask", "label": "Ask about plans", "points": 3, "required": True,
                  "critical": False, "feedback": "Always ask directly."},
                 {"id": "plan", "label": "Safety plan", "points": 2, "required": False,
                  "critical": False, "feedback": "Agree who to call."},
                 {"id": "ignore", "label": "Move on", "points": -2, "required": False,
                  "critical": True, "feedback": "Never ignore this."}]},
            {"id": "reflect", "title": "Formulate", "prompt": "Write the formulation.",
             "kind": "text", "weight": 1.0, "model_answer": "Link the death to the mood.",
             "levels": [{"score": 0, "descriptor": "Missing"},
                        {"score": 1, "descriptor": "Partial"},
                        {"score": 2, "descriptor": "Complete"}]},
        ],
    }


class Factory:
    """make.org(), make.user(org=..., role=...), make.assign(...), make.cohort(...)."""

    def org(self, slug: str | None = None, name: str | None = None) -> Organisation:
        n = next(_counter)
        organisation = Organisation(slug=slug or f"org-{n}", name=name or f"Organisation {n}")
        db.session.add(organisation)
        saved()
        return organisation

    def user(self, *, org: Organisation | None = None, role: str | None = None,
             email: str | None = None, name: str | None = None,
             password: str = DEFAULT_PASSWORD, **fields) -> User:
        n = next(_counter)
        user = User(email=email or f"user{n}@example.org", name=name or f"Person {n}",
                    password_hash=hash_password(password), **fields)
        db.session.add(user)
        if org is not None:
            db.session.add(Membership(user=user, organisation=org, role=role or "trainee"))
        saved()
        return user

    def membership(self, user: User, org: Organisation, role: str) -> Membership:
        membership = Membership(user=user, organisation=org, role=role)
        db.session.add(membership)
        saved()
        return membership

    def assign(self, org: Organisation, supervisor: User, trainee: User) -> SupervisorAssignment:
        assignment = SupervisorAssignment(organisation_id=org.id, supervisor=supervisor,
                                          trainee=trainee)
        db.session.add(assignment)
        saved()
        return assignment

    def cohort(self, org: Organisation, name: str = "Spring intake", members=()) -> Cohort:
        cohort = Cohort(organisation_id=org.id, name=name)
        db.session.add(cohort)
        db.session.flush()
        for member in members:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=member.id))
        saved()
        return cohort

    def module(self, key: str = "mod-a", **kwargs):
        from trainer.content.models import Module
        from trainer.content.services import content_hash

        data = module_data(key, **kwargs)
        module = Module(key=key, version=1, title=data["title"], content_hash=content_hash(data),
                        data=data, position=data["order"], core=data["core"], minutes=20)
        db.session.add(module)
        saved(content=True)
        return module

    def vignette(self, key: str = "vig-a", data: dict | None = None):
        from trainer.content.models import Vignette
        from trainer.content.services import content_hash

        data = data or vignette_data(key)
        vignette = Vignette(key=key, version=data["version"], title=data["title"],
                            content_hash=content_hash(data), data=data,
                            population=data["population"], format=data["format"],
                            condition=data["condition"], variant=data["variant"],
                            difficulty=data["difficulty"])
        db.session.add(vignette)
        saved(content=True)
        return vignette

    def scale(self, key: str = "ipt-session-quality"):
        """The project's default rating scale, loaded from curriculum/scales."""
        from pathlib import Path

        import yaml

        from trainer.content.models import RatingScale
        from trainer.content.schemas import ScaleSchema
        from trainer.content.services import content_hash

        root = Path(__file__).resolve().parent.parent
        data = ScaleSchema().load(yaml.safe_load(
            (root / "curriculum" / "scales" / f"{key}.yaml").read_text()))
        scale = RatingScale(key=key, version=data["version"], title=data["title"],
                            content_hash=content_hash(data), data=data)
        db.session.add(scale)
        saved(content=True)
        return scale

    def case(self, org, trainee, supervisor, code: str = "C-0001", planned: int = 12):
        """An open case with one session (initial phase)."""
        from datetime import date

        from trainer.cases.services import log_session, register_case

        case = register_case(trainee, org.id, {"client_code": code, "variant": "IPT",
                                               "planned_sessions": planned,
                                               "supervisor_id": supervisor.id})
        log_session(trainee, case, {"number": 1, "date": date(2026, 11, 2),
                                    "phase": "initial", "measures": {"phq9": 14}})
        saved()
        return case

    def recording(self, session, actor):
        """Upload the shipped test tone as the session's recording."""
        from trainer.cases.recordings import store_recording

        with TONE.open("rb") as stream:
            recording = store_recording(actor, session, stream, consent=True)
        saved()
        return recording

    def case_with_rating(self, org, trainee, supervisor) -> dict:
        """A case with a recorded, rated session (harm flag), a meeting and a notification;
        returns the ids the route sweep needs."""
        from datetime import date

        from trainer.cases.services import log_meeting
        from trainer.notifications.models import Notification
        from trainer.notifications.services import notify
        from trainer.supervision.models import HarmFollowUp
        from trainer.supervision.services import draft_rating, submit_rating

        scale = self.scale()
        case = self.case(org, trainee, supervisor)
        session = case.sessions[0]
        self.recording(session, trainee)
        rating = draft_rating(supervisor, session, "formative", scale)
        submit_rating(supervisor, rating, good_rating(scale.data, "initial",
                                                      harmful_practice="Shouted at the client"))
        meeting = log_meeting(trainee, case, {"date": date(2026, 11, 3), "minutes": 60},
                              confirm=False)
        notify(org.id, trainee.id, "test", "A note for the trainee")
        saved()
        return {"case_id": case.id, "session_id": session.id, "rating_id": rating.id,
                "meeting_id": meeting.id,
                "follow_up_id": db.session.scalar(db.select(HarmFollowUp.id)),
                "notification_id": db.session.scalar(
                    db.select(Notification.id).where(Notification.user_id == trainee.id,
                                                     Notification.kind == "test"))}

    def gold(self, org, actor, score: int = 4, phase: str = "middle", title: str = "Gold"):
        """A gold-standard recording whose consensus gives every item `score`."""
        from trainer.calibration.services import create_gold
        from trainer.content.models import RatingScale

        scale = db.session.scalar(db.select(RatingScale).where(
            RatingScale.key == "ipt-session-quality")) or self.scale()
        with TONE.open("rb") as stream:
            gold = create_gold(actor, org.id, {**good_rating(scale.data, phase, score),
                                               "phase": phase, "title": title,
                                               "teaching_consent": True}, stream)
        saved()
        return gold

    def double_rating(self, org, first_rating_id: int, second_rater):
        """A session drawn for a blind second rating by `second_rater`."""
        from trainer.calibration.models import DoubleRating
        from trainer.supervision.models import SessionRating

        first = db.session.get(SessionRating, first_rating_id)
        draw = DoubleRating(organisation_id=org.id, session_id=first.session_id,
                            first_rating_id=first.id, second_rater_id=second_rater.id)
        db.session.add(draw)
        saved()
        return draw

    def pathway(self, key: str = "test-pathway", requirements: dict | None = None,
                validity_months: int | None = 36, title: str = "Certified IPT Practitioner"):
        """A loaded pathway (default: pass module mod-a)."""
        from trainer.content.models import Pathway
        from trainer.content.services import content_hash

        data = {"id": key, "version": 1, "title": title,
                "requirements": {"modules": ["mod-a"]} if requirements is None
                else requirements}
        if validity_months:
            data["validity_months"] = validity_months
        pathway = Pathway(key=key, version=1, title=title, content_hash=content_hash(data),
                          data=data)
        db.session.add(pathway)
        saved(content=True)
        return pathway

    def passed_module(self, org, trainee, module):
        """A passed knowledge check of the module."""
        from trainer.curriculum.services import submit_check

        submit_check(trainee, org.id, module, {"q1": ["a"], "q2": ["a", "b"]},
                     f"pass-{trainee.id}-{module.key}")
        saved()

    def certificate(self, org, trainee, admin, pathway_key: str = "test-pathway"):
        """A certificate issued through the service (signed for real)."""
        from trainer.certificates.services import issue

        certificate = issue(admin, org.id, trainee.id, pathway_key, base="http://localhost")
        saved()
        return certificate
