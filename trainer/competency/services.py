"""Competency state changes and the assembled views the pages and API share."""

from dataclasses import dataclass

from sqlalchemy import delete, select

from trainer.audit.services import record
from trainer.competency import queries
from trainer.competency.eligibility import Eligibility, evaluate
from trainer.competency.models import OfferedPathway
from trainer.content.models import Pathway
from trainer.dataversion import organisation_changed
from trainer.errors import DomainError
from trainer.extensions import db


def offered_pathways(organisation_id: int) -> list[Pathway]:
    """The pathways the organisation offers: its choice, or every loaded one."""
    chosen = set(db.session.scalars(select(OfferedPathway.pathway_key).where(
        OfferedPathway.organisation_id == organisation_id)))
    loaded = queries.pathways()
    return [p for p in loaded if p.key in chosen] if chosen else loaded


def set_offered_pathways(actor, organisation_id: int, keys: list[str]) -> None:
    """Narrow the offered pathways (an empty choice offers all of them)."""
    known = {p.key for p in queries.pathways()}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise DomainError(f"Unknown pathway '{unknown[0]}'.", field="pathways")
    db.session.execute(delete(OfferedPathway).where(
        OfferedPathway.organisation_id == organisation_id))
    for key in keys:
        db.session.add(OfferedPathway(organisation_id=organisation_id, pathway_key=key))
    record(actor, "pathways.offered", organisation_id=organisation_id, pathways=keys)
    organisation_changed(organisation_id)


@dataclass
class Checklist:
    """A pathway with the trainee's checklist."""

    pathway: Pathway
    result: Eligibility

    @property
    def met(self) -> int:
        return sum(1 for r in self.result.requirements if r.met)

    @property
    def total(self) -> int:
        return len(self.result.requirements)


def checklists(trainee_ids: list[int], organisation_id: int, pathways: list[Pathway],
               estimates: dict | None = None) -> dict[int, list[Checklist]]:
    """Each trainee's checklist for each pathway."""
    records = queries.records(trainee_ids, organisation_id, estimates)
    return {uid: [Checklist(p, evaluate(p.data, records[uid])) for p in pathways]
            for uid in trainee_ids}


LIVE_KEYS = ("certificate", "calibration")


def eligible_ids(trainee_ids: list[int], organisation_id: int, pathways: list[Pathway],
                 estimates: dict, members=None) -> dict[str, set[int]]:
    """Who is eligible for each pathway. The evidence-only requirements come from the
    snapshots (recomputed for trainees whose evidence changed), certificates and calibration
    are checked for everyone, and the full checklist only for those who pass both."""
    from trainer.competency.snapshots import evidence_checks

    met = evidence_checks(trainee_ids, organisation_id, pathways, estimates, members)
    live_needed = [p for p in pathways if set(p.data["requirements"]) & set(LIVE_KEYS)]
    live = {}
    if live_needed:
        maybe = [uid for uid in trainee_ids if any(p.key in met[uid] for p in live_needed)]
        records = queries.live_records(maybe, organisation_id) if maybe else {}
        # Both live requirements need a certificate held or calibration now.
        maybe = [uid for uid in maybe
                 if records[uid].active_certificates or records[uid].calibrated_now]
        live = {uid: {p.key for p in live_needed if evaluate(
            {**p.data, "requirements": {k: v for k, v in p.data["requirements"].items()
                                        if k in LIVE_KEYS}}, records[uid]).eligible}
            for uid in maybe}
    candidates = [uid for uid in trainee_ids if any(
        p.key in met[uid] and (p not in live_needed or p.key in live.get(uid, ()))
        for p in pathways)]
    full = queries.records(candidates, organisation_id, estimates) if candidates else {}
    return {p.key: {uid for uid in candidates if evaluate(p.data, full[uid]).eligible}
            for p in pathways}
