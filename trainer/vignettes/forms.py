"""The form of one vignette stage, built from its public data (never its rubric)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget


def stage_form(stage: dict, **kwargs) -> FlaskForm:
    """Radio buttons (single), checkboxes (multiple) or a text box (text)."""

    class StageForm(FlaskForm):
        pass

    required = InputRequired(message="Answer this stage before moving on.")
    choices = [SelectChoice(o["id"], o["label"]) for o in stage["options"]]
    if stage["kind"] == "single":
        StageForm.answer = RadioField("Your choice", choices=choices, validators=[required])
    elif stage["kind"] == "multiple":
        StageForm.answer = SelectMultipleField(
            "Your choices", choices=choices, validators=[required],
            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    else:
        StageForm.answer = TextAreaField("Your answer", validators=[required])
    return StageForm(**kwargs)


class SubmitForm(FlaskForm):
    """Submit the draft; carries its token so a repeated submit finds the first attempt."""

    token = HiddenField()


class StartForm(FlaskForm):
    """Start (or resume) working a vignette."""
