"""Reading the product's YAML files (the contract, the rule registry, scenarios) into validated
models, so that a typo is an error that names the file, the key and the line, never a key that is
silently ignored."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """A YAML mapping whose keys are all known: an unknown key is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ConfigError(ValueError):
    """A configuration file does not match its schema; the message says where and what."""


# libyaml's safe loader when PyYAML was built with it (the wheels are): the same YAML, read about ten
# times faster, and the contract is read by every command.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_model(path: Path, model: type[M]) -> M:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        tree = yaml.compose(text)
        problems = [_describe(path, tree, error) for error in exc.errors()]
        raise ConfigError("\n".join(problems)) from None


def _describe(path: Path, tree: yaml.Node | None, error: dict) -> str:
    loc = [part for part in error["loc"] if not _is_internal(part)]
    key = ".".join(str(part) for part in loc) or "(top level)"
    message = "unknown key (a typo?)" if error["type"] == "extra_forbidden" else error["msg"]
    return f"{path}:{_line_of(tree, loc)}: {key}: {message}"


def _is_internal(part) -> bool:
    # pydantic names the branch of a union it tried ("list[str]", "function-after[...]"): not a key
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"})


def _line_of(node: yaml.Node | None, loc: list) -> int:
    """The line of the deepest key of ``loc`` present in the YAML node tree (1-based)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
