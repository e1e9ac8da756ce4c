"""Who may see and act on a training case."""

from trainer.cases.models import TrainingCase
from trainer.orgs.policy import roles_in
from trainer.orgs.queries import supervisors_of


def supervisor_ids(case: TrainingCase) -> set[int]:
    """The trainee's assigned supervisors in the case's organisation."""
    return {s.id for s in supervisors_of(case.trainee_id, case.organisation_id)}


def can_view_case(user, case: TrainingCase) -> bool:
    """The trainee, their assigned supervisors, the organisation's admins: each with an
    active membership in the case's organisation (a trainee switched off loses their cases
    with the membership)."""
    roles = roles_in(user, case.organisation_id)
    if user.id == case.trainee_id and "trainee" in roles:
        return True
    return "admin" in roles or ("supervisor" in roles and user.id in supervisor_ids(case))


def can_edit_case(user, case: TrainingCase) -> bool:
    """Only the case's trainee records its work, while the case is open and they are an
    active trainee of its organisation."""
    return user.id == case.trainee_id and case.status == "open" and \
        "trainee" in roles_in(user, case.organisation_id)


def can_supervise_case(user, case: TrainingCase) -> bool:
    """An assigned supervisor of the trainee (approves, confirms, rates, signs off)."""
    return "supervisor" in roles_in(user, case.organisation_id) and \
        user.id in supervisor_ids(case)
