"""Marshmallow schemas of the content file formats (content-and-scoring.md), one per kind.

Unknown fields are errors (a misspelt key must never be ignored). Cross-field rules that a
schema cannot express live in rules.py.
"""

from marshmallow import RAISE, Schema, ValidationError, fields, validate

ID_PATTERN = r"^[a-z0-9-]{1,64}$"
PROBLEM_AREAS = ("grief", "role-dispute", "role-transition", "interpersonal-deficits")
PHASES = ("pre-group", "initial", "middle", "termination", "maintenance")
POPULATIONS = ("adult", "adolescent", "older-adult", "perinatal")
FORMATS = ("individual", "group", "conjoint", "remote")

_id_check = validate.Regexp(
    ID_PATTERN, error="must be lower-case letters, digits and '-', at most 64 characters")


def Id(**kwargs) -> fields.String:  # noqa: N802  (a field factory reads like a field)
    """A content id."""
    return fields.String(validate=_id_check, **kwargs)


def Ids(**kwargs) -> fields.List:  # noqa: N802
    """A list of content ids."""
    return fields.List(Id(), **kwargs)


def Text(**kwargs) -> fields.String:  # noqa: N802
    """Non-blank text (Markdown where the format says so)."""
    return fields.String(validate=validate.Length(min=1, error="must not be empty"), **kwargs)


def Fraction(**kwargs) -> fields.Float:  # noqa: N802
    """A number in (0, 1]."""
    return fields.Float(validate=validate.Range(min=0, max=1, min_inclusive=False,
                                                error="must be above 0 and at most 1"),
                        **kwargs)


class Strict(Schema):
    """Base: unknown keys are errors."""

    class Meta:
        unknown = RAISE


def Nest(schema, **kwargs) -> fields.Nested:  # noqa: N802
    """A nested schema."""
    return fields.Nested(schema, **kwargs)


def NestList(schema, min_items: int = 0, **kwargs) -> fields.List:  # noqa: N802
    """A list of nested schemas with a minimum length."""
    checks = [validate.Length(min=min_items, error=f"needs at least {min_items} item(s)")]
    return fields.List(fields.Nested(schema), validate=checks if min_items else None, **kwargs)


# -- competency framework ------------------------------------------------------------------

class LevelSchema(Strict):
    level = fields.Integer(required=True, strict=True)
    name = Text(required=True)
    min = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    competent = fields.Boolean(load_default=False)


class SourceWeightsSchema(Strict):
    quiz = fields.Float(load_default=0.5, validate=validate.Range(min=0, min_inclusive=False))
    vignette = fields.Float(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False))
    session_rating = fields.Float(load_default=2.0,
                                  validate=validate.Range(min=0, min_inclusive=False))


class CompetencySchema(Strict):
    id = Id(required=True)
    title = Text(required=True)
    description = Text(required=True)
    core = fields.Boolean(load_default=True)
    observed = fields.Boolean(load_default=False)


class ProblemAreaSchema(Strict):
    id = Id(required=True)
    title = Text(required=True)


class FrameworkSchema(Strict):
    framework = Id(required=True)
    title = Text(required=True)
    levels = NestList(LevelSchema, 1, required=True)
    min_evidence = fields.Integer(load_default=3, strict=True, validate=validate.Range(min=1))
    window = fields.Integer(load_default=10, strict=True, validate=validate.Range(min=1))
    source_weights = Nest(SourceWeightsSchema, load_default=lambda: SourceWeightsSchema().load({}))
    problem_areas = NestList(ProblemAreaSchema, load_default=list)
    competencies = NestList(CompetencySchema, 1, required=True)


# -- curriculum module ---------------------------------------------------------------------

class SectionSchema(Strict):
    title = Text(required=True)
    file = Text(required=True)


def Fixed(**kwargs) -> fields.String:  # noqa: N802
    """`fixed: last` keeps an option last when the others are shuffled ("none of these")."""
    return fields.String(validate=validate.OneOf(("last",), error="must be last"), **kwargs)


class QuestionOptionSchema(Strict):
    id = Id(required=True)
    label = Text(required=True)
    correct = fields.Boolean(required=True)
    feedback = Text(required=True)
    fixed = Fixed()


class QuestionSchema(Strict):
    id = Id(required=True)
    prompt = Text(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("single", "multiple")))
    shuffle = fields.Boolean(load_default=True)
    competencies = Ids()
    options = NestList(QuestionOptionSchema, 2, required=True)


class CheckSchema(Strict):
    pass_mark = Fraction(required=True)
    ask = fields.Integer(strict=True, validate=validate.Range(min=1, error="must be 1 or more"))
    reveal = fields.String(load_default="on-pass",
                           validate=validate.OneOf(("on-pass", "always")))
    cooldown_minutes = fields.Integer(load_default=10, strict=True,
                                      validate=validate.Range(min=0, error="must be 0 or more"))
    questions = NestList(QuestionSchema, 1, required=True)


class ModuleSchema(Strict):
    id = Id(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = Text(required=True)
    order = fields.Integer(required=True, strict=True)
    core = fields.Boolean(required=True)
    minutes = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    prerequisites = Ids(required=True)
    competencies = Ids(required=True)
    objectives = fields.List(Text(), required=True)
    sections = NestList(SectionSchema, 1, required=True)
    check = Nest(CheckSchema, required=True)


# -- case vignette -------------------------------------------------------------------------

class VignetteOptionSchema(Strict):
    id = Id(required=True)
    label = Text(required=True)
    points = fields.Integer(strict=True)
    panel = fields.Integer(strict=True, validate=validate.Range(min=0))
    required = fields.Boolean(load_default=False)
    critical = fields.Boolean(load_default=False)
    feedback = Text(required=True)
    fixed = Fixed()


class PanelSourceSchema(Strict):
    """Who set a panel stage's counts: a convened panel of clinicians, or the authors."""

    kind = fields.String(required=True, validate=validate.OneOf(("convened", "authors")))
    size = fields.Integer(required=True, strict=True,
                          validate=validate.Range(min=1, error="must be 1 or more"))
    date = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}-(0[1-9]|1[0-2])$", error="must be a month written YYYY-MM"))
    note = Text(required=True)


class TextLevelSchema(Strict):
    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    descriptor = Text(required=True)


class StageSchema(Strict):
    id = Id(required=True)
    title = Text(required=True)
    prompt = Text(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("single", "multiple", "text")))
    max_choices = fields.Integer(strict=True)
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False,
                                                                  error="must be above 0"))
    competencies = Ids()
    reveal = Text()
    scoring = fields.String(validate=validate.OneOf(("panel",)))
    panel_source = Nest(PanelSourceSchema)
    shuffle = fields.Boolean(load_default=True)
    options = NestList(VignetteOptionSchema)
    model_answer = Text()
    levels = NestList(TextLevelSchema)


class VignetteSchema(Strict):
    id = Id(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = Text(required=True)
    summary = Text(required=True)
    population = fields.String(required=True, validate=validate.OneOf(POPULATIONS))
    format = fields.String(load_default="individual", validate=validate.OneOf(FORMATS))
    condition = Text(required=True)
    variant = Text(required=True)
    problem_areas = Ids(required=True, validate=validate.Length(min=1, max=2,
                        error="name one or two problem areas"))
    difficulty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=3))
    competencies = Ids()
    pass_mark = Fraction(required=True)
    case = Text(required=True)
    stages = NestList(StageSchema, 1, required=True)


# -- session rating scale ------------------------------------------------------------------

class ScaleItemSchema(Strict):
    id = Id(required=True)
    title = Text(required=True)
    phases = fields.List(fields.String(validate=validate.OneOf(PHASES)), required=True,
                         validate=validate.Length(min=1, error="name at least one phase"))
    essential = fields.Boolean(required=True)
    na_allowed = fields.Boolean(required=True)
    competencies = Ids(required=True)
    guidance = Text(required=True)
    anchors = fields.Dict(keys=fields.Integer(strict=True), values=Text())  # this item's own


class ScaleSchema(Strict):
    id = Id(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = Text(required=True)
    min = fields.Integer(required=True, strict=True)
    max = fields.Integer(required=True, strict=True)
    anchors = fields.Dict(keys=fields.Integer(strict=True), values=Text(), required=True)
    pass_mean = fields.Float(required=True)
    item_min = fields.Integer(required=True, strict=True)
    essential_min = fields.Integer(required=True, strict=True)
    global_min = fields.Integer(required=True, strict=True)
    items = NestList(ScaleItemSchema, 1, required=True)


# -- certification pathway -----------------------------------------------------------------

class ModuleRequirement(fields.Field):
    """`core`, `all` or a list of module ids."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("core", "all"):
            return value
        if isinstance(value, list):
            return Ids().deserialize(value)
        raise ValidationError("must be core, all or a list of module ids")


def Count(**kwargs) -> fields.Integer:  # noqa: N802
    """A whole number, 0 or more."""
    return fields.Integer(strict=True, validate=validate.Range(min=0), **kwargs)


def Amount(**kwargs) -> fields.Float:  # noqa: N802
    """A number, 0 or more."""
    return fields.Float(validate=validate.Range(min=0), **kwargs)


class VignetteRequirements(Strict):
    passed_min = Count()
    problem_areas = Ids()


class CaseRequirements(Strict):
    completed_min = Count()
    sessions_min = Count()
    rated_sessions_min = Count()
    competent_sessions_min = Count()
    mean_rating_min = Amount()
    phases = fields.List(fields.String(validate=validate.OneOf(PHASES)))
    supervision_hours_min = Amount()
    distinct_problem_areas = Count()


class CompetencyRequirements(Strict):
    min_level = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    ids = Ids()


class SupervisionGivenRequirements(Strict):
    trainees_min = Count()
    completed_cases_min = Count()


class RequirementsSchema(Strict):
    modules = ModuleRequirement()
    vignettes = Nest(VignetteRequirements)
    supervised_cases = Nest(CaseRequirements)
    competencies = Nest(CompetencyRequirements)
    certificate = Id()
    supervision_given = Nest(SupervisionGivenRequirements)
    calibration = fields.String(validate=validate.OneOf(("current",)))


class PathwaySchema(Strict):
    id = Id(required=True)
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = Text(required=True)
    description = Text()  # optional
    aligned_with = Text()  # optional: the body's standard the pathway follows (one sentence)
    validity_months = fields.Integer(strict=True, validate=validate.Range(min=1))
    requirements = Nest(RequirementsSchema, required=True)


SCHEMAS = {
    "framework": FrameworkSchema,
    "module": ModuleSchema,
    "vignette": VignetteSchema,
    "scale": ScaleSchema,
    "pathway": PathwaySchema,
}
