"""Validation of a set of content files: schema, kind rules, duplicates and references."""

from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError

from trainer.content import blind
from trainer.content.files import ContentFile, discover, parse
from trainer.content.rules import RULES
from trainer.content.schemas import PROBLEM_AREAS, SCHEMAS

MESSAGES = {
    "Missing data for required field.": "required field is missing",
    "Unknown field.": "unknown field (not part of the format: check the spelling)",
    "Field may not be null.": "must not be empty",
}


@dataclass
class Catalogue:
    """The ids that references may point to."""

    competencies: set[str] = field(default_factory=set)
    levels: list[int] = field(default_factory=list)
    problem_areas: set[str] = field(default_factory=lambda: set(PROBLEM_AREAS))
    modules: dict[str, list[str]] = field(default_factory=dict)
    pathways: set[str] = field(default_factory=set)
    scales: set[str] = field(default_factory=set)
    has_framework: bool = False

    def add(self, kind: str, data: dict) -> None:
        """Make a valid item's ids available to references."""
        if kind == "framework":
            self.has_framework = True
            self.competencies |= {c["id"] for c in data["competencies"]}
            self.levels = [lv["level"] for lv in data["levels"]]
            self.problem_areas |= {p["id"] for p in data.get("problem_areas", [])}
        elif kind == "module":
            self.modules[data["id"]] = list(data["prerequisites"])
        elif kind == "pathway":
            self.pathways.add(data["id"])
        elif kind == "scale":
            self.scales.add(data["id"])


def flatten(messages, raw, prefix: str = "") -> list[tuple[str, str]]:
    """Marshmallow's nested messages as (path, message), naming list items by their id."""
    if isinstance(messages, dict):
        lines = []
        for key, value in messages.items():
            name, child = key, None
            if isinstance(key, int) and isinstance(raw, list) and 0 <= key < len(raw):
                child = raw[key]
                if isinstance(child, dict) and isinstance(child.get("id"), str) and child["id"]:
                    name = child["id"]
            elif isinstance(raw, dict):
                child = raw.get(key)
            lines += flatten(value, child, f"{prefix}.{name}" if prefix else str(name))
        return lines
    if isinstance(messages, list):
        lines = []
        for message in messages:
            if isinstance(message, dict | list):
                lines += flatten(message, raw, prefix)
            else:
                lines.append((prefix or "file", MESSAGES.get(str(message), str(message))))
        return lines
    return [(prefix or "file", str(messages))]


def check_file(item: ContentFile) -> None:
    """Schema and kind rules of one parsed file; fills item.data when it is valid."""
    if item.problems or not isinstance(item.raw, dict):
        return
    try:
        item.data = SCHEMAS[item.kind]().load(item.raw)
    except ValidationError as exc:
        item.problems += flatten(exc.messages, item.raw)
    item.problems += RULES[item.kind](item.raw, item.path.parent)
    item.problems = list(dict.fromkeys(item.problems))
    if item.data is not None and not item.problems:
        check_blind(item)


BLIND_CHECKS = {"vignette": (blind.vignette_problems, blind.vignette_warnings),
                "module": (blind.check_problems, blind.check_warnings)}


def check_blind(item: ContentFile) -> None:
    """Blind strategies that pass are problems; keyed-position and length tells, warnings."""
    if item.kind in BLIND_CHECKS:
        problems, warnings = BLIND_CHECKS[item.kind]
        item.problems += problems(item.data)
        item.warnings += warnings(item.data)


def check_duplicates(items: list[ContentFile]) -> None:
    """Two files may not define the same item (one framework at most)."""
    seen: dict[tuple[str, str], ContentFile] = {}
    frameworks = [i for i in items if i.kind == "framework" and i.key]
    for item in items:
        if item.key is None:
            continue
        other = seen.setdefault((item.kind, item.key), item)
        if other is not item:
            item.problems.append(("id", f"{other.display} also defines {item.kind} "
                                        f"'{item.key}'"))
    if len({i.key for i in frameworks}) > 1:
        for item in frameworks[1:]:
            item.problems.append(("framework", "only one competency framework may be loaded"))


def check_references(items: list[ContentFile], catalogue: Catalogue) -> None:
    """Competencies, problem areas, prerequisites, modules and pathways must exist."""
    from trainer.content.references import REFERENCE_CHECKS

    for item in items:
        if item.data is not None:
            item.problems += REFERENCE_CHECKS[item.kind](item.data, catalogue)
    for item in items:
        if item.kind == "module" and item.data is not None:
            cycle = find_cycle(item.data["id"], catalogue.modules)
            if cycle:
                item.problems.append(("prerequisites", "prerequisites form a cycle: "
                                                       + " -> ".join(cycle)))


def find_cycle(start: str, graph: dict[str, list[str]]) -> list[str] | None:
    """A prerequisite path from start back to start, if there is one."""
    stack = [(start, [start])]
    visited = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, []):
            if nxt == start:
                return [*path, start]
            if nxt not in visited:
                visited.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def load_files(paths: list[Path]) -> tuple[list[ContentFile], list[str]]:
    """Parse and check each file on its own; report paths that do not exist."""
    found, missing = discover(paths)
    items = [parse(path) for path in found]
    for item in items:
        check_file(item)
    return items, missing


def validate(paths: list[Path], context: Catalogue) -> tuple[list[ContentFile], list[str]]:
    """Every problem of the given files, as `FILE: field.path: message` lines."""
    items, missing = load_files(paths)
    check_duplicates(items)
    for item in items:
        if item.data is not None:
            context.add(item.kind, item.data)
    check_references(items, context)
    lines = [f"{path}: file: no such file or folder" for path in missing]
    for item in items:
        lines += [f"{item.display}: {path}: {message}" for path, message in item.problems]
    return items, lines


def warning_lines(items: list[ContentFile]) -> list[str]:
    """The warnings of the files (`FILE: field.path: warning: ...`); they block nothing."""
    return [f"{item.display}: {path}: {message}"
            for item in items for path, message in item.warnings]
