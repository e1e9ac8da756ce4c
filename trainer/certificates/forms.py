"""Certificate forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length


class IssueForm(FlaskForm):
    """Issue a pathway's certificate to a trainee (a button on the trainee's checklist)."""

    trainee_id = HiddenField(validators=[DataRequired()])
    pathway = HiddenField(validators=[DataRequired()])


class RevokeForm(FlaskForm):
    """Revoke with a reason; the reason stays inside the organisation."""

    reason = TextAreaField("Reason for revoking", validators=[
        DataRequired("Give the reason for revoking."), Length(max=2000)])
