"""Who is calibrated now, for the rules that only count calibrated supervisors."""

from trainer.orgs.queries import people_with_role


def calibrated_rater_ids(organisation_id: int) -> set[int]:
    """Supervisors of the organisation whose calibration on the default scale is current."""
    from trainer.calibration.services import calibrations

    supervisors = [s.id for s in people_with_role(organisation_id, "supervisor")]
    if not supervisors:
        return set()
    return {uid for uid, c in calibrations(supervisors, organisation_id).items()
            if c.calibrated}
