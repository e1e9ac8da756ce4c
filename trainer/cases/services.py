"""Case record state changes: registration, consent, inventory, formulation, sessions,
supervision meetings and sign-off. Recordings are in recordings.py."""

import re
from datetime import date

from sqlalchemy import func, select

from trainer.audit.services import record
from trainer.cases.measures import CORE, validate_measures
from trainer.cases.models import (
    PHASES,
    VARIANTS,
    CaseSession,
    GroupAttendance,
    GroupMember,
    InventoryPerson,
    SupervisionMeeting,
    TimelineEvent,
    TrainingCase,
)
from trainer.cases.policy import supervisor_ids
from trainer.content.schemas import PROBLEM_AREAS
from trainer.dataversion import trainee_changed
from trainer.errors import Conflict, DomainError
from trainer.extensions import db
from trainer.notifications.services import notify
from trainer.orgs.queries import supervisors_of
from trainer.timeutil import utcnow

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
CODE_HELP = ("Use a pseudonymous code such as C-0412 (letters, digits, '-' or '_', with at "
             "least one digit): never the client's name or e-mail address.")


def check_client_code(code: object) -> str:
    """A pseudonymous code: no spaces, no '@', at least one digit (so not a name)."""
    if not isinstance(code, str) or not CODE_RE.match(code.strip()) \
            or not any(ch.isdigit() for ch in code):
        raise DomainError(CODE_HELP, field="client_code")
    return code.strip()


def register_case(trainee, organisation_id: int, data: dict) -> TrainingCase:
    """A new open case with one of the trainee's own supervisors."""
    code = check_client_code(data.get("client_code"))
    if data.get("variant") not in VARIANTS:
        raise DomainError("Choose one of the IPT variants: " + ", ".join(VARIANTS) + ".",
                          field="variant")
    planned = data.get("planned_sessions")
    if not isinstance(planned, int) or isinstance(planned, bool) or not 1 <= planned <= 60:
        raise DomainError("Planned sessions: a whole number from 1 to 60.",
                          field="planned_sessions")
    allowed = {s.id for s in supervisors_of(trainee.id, organisation_id)}
    if data.get("supervisor_id") not in allowed:
        raise DomainError("Choose one of your assigned supervisors.", field="supervisor_id")
    _check_dates(data.get("start_date"), data.get("end_date"))
    if db.session.scalar(select(TrainingCase.id).where(
            TrainingCase.organisation_id == organisation_id,
            TrainingCase.trainee_id == trainee.id, TrainingCase.client_code == code)):
        raise DomainError(f"You already have a case with the code {code}.", field="client_code")
    case = TrainingCase(organisation_id=organisation_id, trainee_id=trainee.id,
                        supervisor_id=data["supervisor_id"], client_code=code,
                        variant=data["variant"], planned_sessions=planned,
                        start_date=data.get("start_date"), end_date=data.get("end_date"),
                        status="open")
    db.session.add(case)
    db.session.flush()
    record(trainee, "case.registered", organisation_id=organisation_id, target=case, code=code)
    _changed(case)
    return case


def _changed(case: TrainingCase) -> None:
    """The trainee's record changed: their profile and the cohort pages are rebuilt."""
    trainee_changed(case.organisation_id, case.trainee_id)


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise DomainError("The contracted end date must be after the start.", field="end_date")


def set_consent(trainee, case: TrainingCase, record_ok: bool, supervision_ok: bool,
                teaching_ok: bool) -> None:
    """Layered consent; withdrawing recording or supervision consent hides the recordings
    at once and schedules their deletion."""
    from trainer.cases.recordings import hide_case_recordings

    withdrawn = (case.consent_record and not record_ok) or \
        (case.consent_supervision and not supervision_ok)
    case.consent_record, case.consent_supervision = record_ok, supervision_ok
    case.consent_teaching = teaching_ok
    if withdrawn:
        case.consent_withdrawn_at = utcnow()
        hide_case_recordings(trainee, case)
    elif record_ok and supervision_ok:
        case.consent_withdrawn_at = None
    record(trainee, "case.consent", organisation_id=case.organisation_id, target=case,
           record=record_ok, supervision=supervision_ok, teaching=teaching_ok)


def add_inventory_person(case: TrainingCase, data: dict) -> InventoryPerson:
    """Add an important person to the interpersonal inventory."""
    if data.get("closeness") not in ("inner", "middle", "outer"):
        raise DomainError("Closeness is inner, middle or outer.", field="closeness")
    if not (data.get("label") or "").strip():
        raise DomainError("Give the person a label (a role, not a full name).", field="label")
    person = InventoryPerson(case_id=case.id, **{k: (v or "").strip() if isinstance(v, str)
                                                 else v for k, v in data.items()})
    db.session.add(person)
    return person


def add_timeline_event(case: TrainingCase, when: str, event: str, mood: str) -> TimelineEvent:
    """Add an event to the timeline."""
    if not when.strip() or not event.strip():
        raise DomainError("Give when it happened and what happened.", field="event")
    item = TimelineEvent(case_id=case.id, when=when.strip(), event=event.strip(),
                         mood=mood.strip())
    db.session.add(item)
    return item


def save_formulation(trainee, case: TrainingCase, areas: list[str], goals: str,
                     formulation: str, contract_sessions: int | None) -> None:
    """The formulation and contract; changing it withdraws an earlier approval."""
    if not 1 <= len(areas) <= 2 or any(a not in PROBLEM_AREAS for a in areas):
        raise DomainError("Choose one or two problem areas.", field="problem_areas")
    case.problem_areas, case.goals = list(areas), goals.strip()
    case.formulation, case.contract_sessions = formulation.strip(), contract_sessions
    case.formulation_approved_at = case.formulation_approved_by_id = None
    record(trainee, "case.formulation_saved", organisation_id=case.organisation_id,
           target=case, areas=areas)
    _changed(case)  # the case's problem areas count toward the pathways


def approve_formulation(supervisor, case: TrainingCase) -> None:
    """The supervisor approves the formulation and contract before the middle phase."""
    if not case.problem_areas:
        raise Conflict("There is no formulation to approve yet.")
    case.formulation_approved_at, case.formulation_approved_by_id = utcnow(), supervisor.id
    record(supervisor, "case.formulation_approved", organisation_id=case.organisation_id,
           target=case)


def log_session(trainee, case: TrainingCase, data: dict) -> CaseSession:
    """A session with its phase and measure totals; item 9 above 0 alerts the supervisors."""
    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 200:
        raise DomainError("The session number is a whole number from 1 to 200.",
                          field="number")
    if data.get("phase") not in PHASES:
        raise DomainError("Phase: one of " + ", ".join(PHASES) + ".", field="phase")
    if not isinstance(data.get("date"), date):
        raise DomainError("Give the session's date (YYYY-MM-DD).", field="date")
    measures = validate_measures(data.get("measures"))
    if db.session.scalar(select(CaseSession.id).where(CaseSession.case_id == case.id,
                                                      CaseSession.number == number)):
        raise Conflict(f"Session {number} is already logged.", field="number")
    session = CaseSession(case_id=case.id, number=number, date=data["date"],
                          phase=data["phase"], notes=(data.get("notes") or "").strip(),
                          **{k: measures.get(k) for k in CORE},
                          other_measures={k: v for k, v in measures.items() if k not in CORE})
    db.session.add(session)
    db.session.flush()
    record(trainee, "session.logged", organisation_id=case.organisation_id, target=session,
           case=case.client_code, number=number)
    _changed(case)
    if (session.phq9_item9 or 0) > 0:
        for supervisor_id in supervisor_ids(case):
            notify(case.organisation_id, supervisor_id, "risk",
                   f"Case {case.client_code}, session {number}: PHQ-9 item 9 scored "
                   f"{session.phq9_item9}. Review the risk with {trainee.name}.",
                   f"/cases/{case.id}")
    return session


def next_session_number(case: TrainingCase) -> int:
    """One more than the highest logged session number."""
    return (db.session.scalar(select(func.max(CaseSession.number))
                              .where(CaseSession.case_id == case.id)) or 0) + 1


def log_meeting(actor, case: TrainingCase, data: dict, confirm: bool) -> SupervisionMeeting:
    """A supervision meeting (confirmed at once when the supervisor logs it)."""
    minutes, size = data.get("minutes"), data.get("group_size")
    if not isinstance(minutes, int) or not 1 <= minutes <= 600:
        raise DomainError("Minutes: a whole number from 1 to 600.", field="minutes")
    if size is not None and (not isinstance(size, int) or size < 2):
        raise DomainError("A group has at least 2 members.", field="group_size")
    meeting = SupervisionMeeting(case_id=case.id, date=data["date"], minutes=minutes,
                                 group_size=size, logged_by_id=actor.id,
                                 confirmed_at=utcnow() if confirm else None)
    db.session.add(meeting)
    record(actor, "meeting.logged", organisation_id=case.organisation_id, target=case,
           minutes=minutes)
    _changed(case)
    return meeting


def confirm_meeting(supervisor, meeting: SupervisionMeeting, notes: dict) -> None:
    """The supervisor confirms a meeting and writes notes the trainee can read."""
    meeting.confirmed_at = meeting.confirmed_at or utcnow()
    for key in ("notes_cases", "notes_risk", "notes_recordings", "notes_actions"):
        setattr(meeting, key, (notes.get(key) or "").strip())
    _changed(db.session.get(TrainingCase, meeting.case_id))


def sign_off(supervisor, case: TrainingCase, outcome: str, note: str) -> None:
    """Close the case as completed or discontinued, with a note."""
    if outcome not in ("completed", "discontinued"):
        raise DomainError("Outcome: completed or discontinued.", field="outcome")
    if case.status != "open":
        raise Conflict("This case is already closed.")
    case.status, case.signoff_note = outcome, note.strip()
    case.closed_at, case.closed_by_id = utcnow(), supervisor.id
    record(supervisor, "case.signed_off", organisation_id=case.organisation_id, target=case,
           outcome=outcome)
    _changed(case)
    trainee_changed(case.organisation_id, case.supervisor_id)  # cases they supervised


def add_group_member(case: TrainingCase, code: str, problem_area: str,
                     goals: str) -> GroupMember:
    """A pseudonymous member of a group IPT case."""
    if case.variant != "group-IPT":
        raise Conflict("Only group IPT cases have group members.")
    code = check_client_code(code)
    if problem_area not in PROBLEM_AREAS:
        raise DomainError("Choose the member's problem area.", field="problem_area")
    if db.session.scalar(select(GroupMember.id).where(GroupMember.case_id == case.id,
                                                      GroupMember.code == code)):
        raise DomainError(f"The group already has a member {code}.", field="code")
    member = GroupMember(case_id=case.id, code=code, problem_area=problem_area,
                         goals=goals.strip())
    db.session.add(member)
    return member


def record_attendance(session: CaseSession, entries: dict[int, tuple[bool, dict]]) -> None:
    """Who came to a group session and their measure totals (replaces what was there)."""
    members = {m.id for m in db.session.scalars(
        select(GroupMember).where(GroupMember.case_id == session.case_id))}
    existing = {a.member_id: a for a in db.session.scalars(
        select(GroupAttendance).where(GroupAttendance.session_id == session.id))}
    for member_id, (present, measures) in entries.items():
        if member_id not in members:
            raise DomainError("Unknown group member.", field="members")
        clean = validate_measures(measures)
        row = existing.get(member_id) or GroupAttendance(session_id=session.id,
                                                         member_id=member_id)
        row.present, row.measures = present, clean
        db.session.add(row)
