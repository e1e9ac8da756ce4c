"""Who may see whose curriculum progress."""

from trainer.orgs.policy import can_view_trainee
from trainer.orgs.queries import supervisors_of


def can_view_progress(viewer, trainee, organisation_id: int) -> bool:
    """The trainee, their assigned supervisors and the organisation's admins."""
    supervisor_ids = {s.id for s in supervisors_of(trainee.id, organisation_id)}
    return can_view_trainee(viewer, trainee, organisation_id, supervisor_ids)
