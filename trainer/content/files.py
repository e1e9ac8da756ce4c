"""Finding content files, telling their kind by place, and parsing their YAML."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

KIND_FOLDERS = {"vignettes": "vignette", "scales": "scale", "pathways": "pathway"}
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class ContentFile:
    """One content file: where it is, its kind, its raw YAML and the problems found."""

    path: Path
    kind: str | None
    raw: object = None
    data: dict | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def display(self) -> str:
        """The path as a person typed it (relative to the working folder when inside it)."""
        cwd = Path.cwd()
        return str(self.path.relative_to(cwd)) if self.path.is_relative_to(cwd) else str(self.path)

    @property
    def key(self) -> str | None:
        """The item's id (the framework's `framework`)."""
        if not isinstance(self.raw, dict):
            return None
        value = self.raw.get("framework" if self.kind == "framework" else "id")
        return value if isinstance(value, str) else None

    @property
    def valid(self) -> bool:
        return not self.problems and self.data is not None


def kind_of(path: Path) -> str | None:
    """The content kind from the file's place: its name or its folder's name."""
    stem = path.stem
    if stem == "competencies" and path.suffix in YAML_SUFFIXES:
        return "framework"
    if stem == "module":
        return "module"
    return KIND_FOLDERS.get(path.parent.name)


def discover(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Every YAML file under the given files and folders, sorted; and missing paths."""
    found: list[Path] = []
    missing: list[str] = []
    for given in paths:
        if given.is_dir():
            found += sorted(p for p in given.rglob("*")
                            if p.suffix in YAML_SUFFIXES and p.is_file())
        elif given.is_file():
            found.append(given)
        else:
            missing.append(str(given))
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique, missing


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            repeated = key in seen
        except TypeError:  # a list or mapping as a key: construct_mapping refuses it below
            break
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse(path: Path) -> ContentFile:
    """Read and parse one file; a YAML error becomes one problem with its line and column."""
    item = ContentFile(path=path, kind=kind_of(path))
    if path.suffix not in YAML_SUFFIXES:
        item.problems.append(("file", "not a YAML content file (.yaml or .yml)"))
        return item
    if item.kind is None:
        item.problems.append(("file", "cannot tell the kind of content from its place: use "
                              "competencies.yaml, <module>/module.yaml, or a folder named "
                              "vignettes, scales or pathways"))
        return item
    try:
        # _StrictLoader is a SafeLoader: plain YAML types only, never Python objects.
        text = path.read_text(encoding="utf-8")
        item.raw = yaml.load(text, Loader=_StrictLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as exc:
        item.problems.append(("yaml", _yaml_message(exc)))
    except (OSError, UnicodeDecodeError) as exc:
        item.problems.append(("file", f"cannot be read: {exc}"))
    else:
        if not isinstance(item.raw, dict):
            item.problems.append(("file", "must be a YAML mapping of fields"))
    return item


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f"not valid YAML: {problem}"
    return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
