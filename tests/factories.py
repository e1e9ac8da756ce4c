"""Factories: saved objects with sensible defaults."""

import itertools

from trainer.auth.models import User
from trainer.auth.passwords import hash_password
from trainer.extensions import db
from trainer.orgs.models import Cohort, CohortMember, Membership, Organisation, SupervisorAssignment

DEFAULT_PASSWORD = "quiet-lantern-meadow-47"  # noqa: S105
_counter = itertools.count(1)


class Factory:
    """make.org(), make.user(org=..., role=...), make.assign(...), make.cohort(...)."""

    def org(self, slug: str | None = None, name: str | None = None) -> Organisation:
        n = next(_counter)
        organisation = Organisation(slug=slug or f"org-{n}", name=name or f"Organisation {n}")
        db.session.add(organisation)
        db.session.commit()
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
        db.session.commit()
        return user

    def membership(self, user: User, org: Organisation, role: str) -> Membership:
        membership = Membership(user=user, organisation=org, role=role)
        db.session.add(membership)
        db.session.commit()
        return membership

    def assign(self, org: Organisation, supervisor: User, trainee: User) -> SupervisorAssignment:
        assignment = SupervisorAssignment(organisation_id=org.id, supervisor=supervisor,
                                          trainee=trainee)
        db.session.add(assignment)
        db.session.commit()
        return assignment

    def cohort(self, org: Organisation, name: str = "Spring intake", members=()) -> Cohort:
        cohort = Cohort(organisation_id=org.id, name=name)
        db.session.add(cohort)
        db.session.flush()
        for member in members:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=member.id))
        db.session.commit()
        return cohort
