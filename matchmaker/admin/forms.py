"""The few admin forms that need more than a CSRF token (Flask-WTF renders and checks them).

Profile fields are never validated here: the profile schema does that for every door.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, TextAreaField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class RejectForm(FlaskForm):
    """A rejection always tells the firm why."""

    reason = TextAreaField(
        _l("Reason (the firm sees it on its edit page; it is kept in the audit log)"),
        validators=[DataRequired(message=_l("Give the reason for rejecting."))],
    )
