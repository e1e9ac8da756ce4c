"""The knowledge-check form, built from the module's questions."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget


def field_name(question_id: str) -> str:
    """The form field of a question, named by its id (the same whatever the draw)."""
    return "answer_" + question_id.replace("-", "_")


def check_form(questions: list[dict], **kwargs) -> FlaskForm:
    """A form with one radio group (single) or checkbox group (multiple) per question."""

    class CheckForm(FlaskForm):
        submission_key = HiddenField()
        attempt_number = HiddenField()

    for question in questions:
        choices = [SelectChoice(o["id"], o["label"]) for o in question["options"]]
        required = InputRequired(message="Answer this question.")
        if question["kind"] == "single":
            field = RadioField(question["id"], choices=choices, validators=[required])
        else:
            field = SelectMultipleField(question["id"], choices=choices, validators=[required],
                                        widget=ListWidget(prefix_label=False),
                                        option_widget=CheckboxInput())
        setattr(CheckForm, field_name(question["id"]), field)
    return CheckForm(**kwargs)


def answers_from(form, questions: list[dict]) -> dict[str, list[str]]:
    """The form's answers as {question id: [option ids]}."""
    answers = {}
    for question in questions:
        value = getattr(form, field_name(question["id"])).data
        answers[question["id"]] = value if isinstance(value, list) else [value]
    return answers
