"""Organisation admin forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

ROLE_CHOICES = [SelectChoice("trainee", "Trainee"), SelectChoice("supervisor", "Supervisor"),
                SelectChoice("admin", "Admin")]


def person_choices(people) -> list[SelectChoice]:
    """Select options for people: their id, labelled with name and e-mail."""
    return [SelectChoice(person.id, f"{person.name} ({person.email})") for person in people]


class InviteForm(FlaskForm):
    """Invite a person with a role."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name (optional)", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Create invitation link")


class CohortForm(FlaskForm):
    """Create a cohort."""

    name = StringField("Cohort name", validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Create cohort")


class CohortMemberForm(FlaskForm):
    """Add a trainee to a cohort."""

    trainee = SelectField("Trainee", coerce=int, validate_choice=True)
    submit = SubmitField("Add to cohort")


class AssignForm(FlaskForm):
    """Assign a supervisor to a trainee."""

    supervisor = SelectField("Supervisor", coerce=int)
    trainee = SelectField("Trainee", coerce=int)
    submit = SubmitField("Assign")


class OrganisationForm(FlaskForm):
    """Create a training organisation (platform admins)."""

    slug = StringField("Slug (used in links)", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    admin_email = EmailField("E-mail of its first administrator",
                             validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Create organisation")


