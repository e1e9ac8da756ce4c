"""Competency state changes and the assembled views the pages and API share."""

from dataclasses import dataclass

from sqlalchemy import delete, select

from trainer.audit.services import record
from trainer.competency import queries
from trainer.competency.eligibility import Eligibility, evaluate
from trainer.competency.models import OfferedPathway
from trainer.content.models import Pathway
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


CHEAP_KEYS = ("modules", "vignettes", "competencies", "certificate", "calibration")


def eligible_ids(trainee_ids: list[int], organisation_id: int, pathways: list[Pathway],
                 estimates: dict) -> dict[str, set[int]]:
    """Who is eligible for each pathway: the requirements that need no case data are checked
    for everyone first, and the full checklist only for those who pass them."""
    light = queries.records(trainee_ids, organisation_id, estimates, with_cases=False)
    cheap = {p.key: {**p.data, "requirements": {k: v for k, v in p.data["requirements"].items()
                                                if k in CHEAP_KEYS}} for p in pathways}
    candidates = [uid for uid in trainee_ids
                  if any(evaluate(cheap[p.key], light[uid]).eligible for p in pathways)]
    full = queries.records(candidates, organisation_id, estimates) if candidates else {}
    return {p.key: {uid for uid in candidates if evaluate(p.data, full[uid]).eligible}
            for p in pathways}
