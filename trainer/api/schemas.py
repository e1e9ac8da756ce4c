"""Marshmallow schemas of the API's requests and responses (accounts, organisations)."""

from marshmallow import Schema, fields, validate


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", keys=fields.String(),
                          values=fields.List(fields.String()))


class Error(Schema):
    """The error object every 4xx answers with."""

    error = fields.Nested(ErrorBody, required=True)


class TokenRequest(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    otp = fields.String(validate=validate.Length(max=16),
                        metadata={"description": "the authenticator code, for accounts with "
                                                 "two-factor sign-in"})


class TokenResponse(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True, format="iso")


class OrganisationRef(Schema):
    slug = fields.String()
    name = fields.String()


class MembershipOut(Schema):
    organisation = fields.Nested(OrganisationRef)
    role = fields.String()


class Me(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    memberships = fields.List(fields.Nested(MembershipOut))


class MemberOut(Schema):
    id = fields.Integer(attribute="user.id")
    email = fields.String(attribute="user.email")
    name = fields.String(attribute="user.name")
    role = fields.String()
    active = fields.Boolean()


class MemberPage(Schema):
    items = fields.List(fields.Nested(MemberOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
