"""Forms of the case record."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.cases.models import PHASES, VARIANTS
from trainer.content.schemas import PROBLEM_AREAS


def _choices(values) -> list[SelectChoice]:
    return [SelectChoice(v, v) for v in values]


class CaseForm(FlaskForm):
    client_code = StringField("Client code", validators=[DataRequired(), Length(max=32)])
    variant = SelectField("IPT variant", choices=_choices(VARIANTS))
    planned_sessions = IntegerField("Planned sessions",
                                    validators=[InputRequired(), NumberRange(1, 60)])
    start_date = DateField("Start date", validators=[Optional()])
    end_date = DateField("Contracted end date", validators=[Optional()])
    supervisor_id = SelectField("Supervisor", coerce=int)


class ConsentForm(FlaskForm):
    consent_record = BooleanField("The client consents to sessions being recorded")
    consent_supervision = BooleanField("The client consents to recordings being used in "
                                       "supervision")
    consent_teaching = BooleanField("The client consents, separately, to recordings being used "
                                    "for teaching or rater calibration")


class InventoryForm(FlaskForm):
    label = StringField("Person (a role, not a full name)", validators=[DataRequired(),
                                                                         Length(max=80)])
    relationship_kind = StringField("Relationship", validators=[Length(max=80)])
    closeness = SelectField("Closeness", choices=[SelectChoice("inner", "Inner circle"),
                                                  SelectChoice("middle", "Middle circle"),
                                                  SelectChoice("outer", "Outer circle")])
    good = TextAreaField("What is good")
    hard = TextAreaField("What is hard")
    expectations = TextAreaField("Mutual expectations")
    changes_wanted = TextAreaField("Changes wanted")


class TimelineForm(FlaskForm):
    when = StringField("When", validators=[DataRequired(), Length(max=40)])
    event = TextAreaField("What happened", validators=[DataRequired()])
    mood = TextAreaField("Mood and symptoms then")


class FormulationForm(FlaskForm):
    problem_areas = SelectMultipleField("Problem areas (one or two)",
                                        choices=_choices(PROBLEM_AREAS),
                                        widget=ListWidget(prefix_label=False),
                                        option_widget=CheckboxInput())
    goals = TextAreaField("Goals")
    formulation = TextAreaField("Formulation shared with the client")
    contract_sessions = IntegerField("Contracted number of sessions",
                                     validators=[Optional(), NumberRange(1, 60)])


class SessionForm(FlaskForm):
    number = IntegerField("Session number", validators=[InputRequired(), NumberRange(1, 200)])
    date = DateField("Date", validators=[InputRequired()])
    phase = SelectField("Phase", choices=_choices(PHASES))
    notes = TextAreaField("Notes")
    phq9 = IntegerField("PHQ-9 total (0–27)", validators=[Optional(), NumberRange(0, 27)])
    phq9_item9 = IntegerField("PHQ-9 item 9 (0–3)", validators=[Optional(), NumberRange(0, 3)])
    gad7 = IntegerField("GAD-7 total (0–21)", validators=[Optional(), NumberRange(0, 21)])
    epds = IntegerField("EPDS total (0–30)", validators=[Optional(), NumberRange(0, 30)])
    phqa = IntegerField("PHQ-A total (0–27)", validators=[Optional(), NumberRange(0, 27)])
    srm = DecimalField("Social Rhythm Metric (0–7)", validators=[Optional(), NumberRange(0, 7)])
    pcl5 = IntegerField("PCL-5 total (0–80)", validators=[Optional(), NumberRange(0, 80)])
    edeq = DecimalField("EDE-Q global (0–6)", validators=[Optional(), NumberRange(0, 6)])

    MEASURE_FIELDS = ("phq9", "phq9_item9", "gad7", "epds", "phqa", "srm", "pcl5", "edeq")

    def measures(self) -> dict:
        values = {name: getattr(self, name).data for name in self.MEASURE_FIELDS}
        return {k: (float(v) if k in ("srm", "edeq") else v) for k, v in values.items()
                if v is not None}


class UploadForm(FlaskForm):
    file = FileField("Recording (audio or video)", validators=[FileRequired()])
    consent = BooleanField("I confirm the client consented to this session being recorded "
                           "and used in supervision")


class MeetingForm(FlaskForm):
    date = DateField("Date", validators=[InputRequired()])
    minutes = IntegerField("Minutes", validators=[InputRequired(), NumberRange(1, 600)])
    group_size = IntegerField("Group size (leave empty for individual supervision)",
                              validators=[Optional(), NumberRange(2, 30)])


class MeetingNotesForm(FlaskForm):
    notes_cases = TextAreaField("Cases discussed")
    notes_risk = TextAreaField("Risk")
    notes_recordings = TextAreaField("Recordings reviewed")
    notes_actions = TextAreaField("Agreed actions")


class SignOffForm(FlaskForm):
    outcome = SelectField("Outcome", choices=[SelectChoice("completed", "Completed"),
                                              SelectChoice("discontinued", "Discontinued")])
    note = TextAreaField("Note", validators=[DataRequired()])



class GroupMemberForm(FlaskForm):
    code = StringField("Member code", validators=[DataRequired(), Length(max=32)])
    problem_area = SelectField("Problem area", choices=_choices(PROBLEM_AREAS))
    goals = TextAreaField("Goals")
