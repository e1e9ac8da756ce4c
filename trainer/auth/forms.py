"""Sign-in, password and invitation forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """The sign-in form: fields `email`, `password`, `csrf_token` (fixed by the API spec)."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    submit = SubmitField("Sign in")


class ChangePasswordForm(FlaskForm):
    """Change one's own password."""

    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two entries differ.")],
    )
    submit = SubmitField("Change password")


class AcceptNewForm(FlaskForm):
    """Accept an invitation by creating the account."""

    name = StringField("Your full name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Choose a password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two entries differ.")],
    )
    submit = SubmitField("Create my account and join")


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField("Six-digit code", validators=[DataRequired(), Length(max=16)])
    submit = SubmitField("Continue")


class DisableTwoFactorForm(FlaskForm):
    """Switch the second factor off: the password and a current code."""

    password = PasswordField("Password", validators=[DataRequired()])
    code = StringField("Six-digit code", validators=[DataRequired(), Length(max=16)])
    submit = SubmitField("Switch two-factor sign-in off")
