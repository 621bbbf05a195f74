"""Safe YAML loading that remembers where every value came from (line and column).

Used for rule files, configuration files and playbooks, so that every problem can be
reported as ``path:line:col: what is wrong``. Only PyYAML's safe loader is ever used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is much faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[Any, ...]

_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
MAX_NODES = 200_000
"""Expanded-node limit: aliases can make a small file expand without bound (billion laughs)."""


@dataclass
class Located:
    """A parsed YAML document plus the 1-based (line, column) of every value by path
    (for a mapping entry, the position of its key)."""

    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path) -> tuple[int, int]:
        """The position of ``path``, or of its nearest located ancestor."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; carries the 1-based line and column."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def load_located(text: str) -> Located:
    """Parse one YAML document safely, keeping positions. Raises :class:`YamlSyntaxError`."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(str(exc.problem or exc).strip(), line, col) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc).strip(), 1, 1) from None
    located = Located(None)
    if node is not None:
        constructor = _Loader("")  # resolves scalar tags exactly as the safe loader would
        try:
            located.data = _convert(node, (), located.marks, constructor)
        except yaml.MarkedYAMLError as exc:  # e.g. a !!python/... tag the safe loader refuses
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise YamlSyntaxError(str(exc.problem or exc).strip(), line, col) from None
        except RecursionError:
            raise YamlSyntaxError("document nests too deeply or refers to itself", 1, 1) from None
        if len(located.marks) > MAX_NODES:
            raise YamlSyntaxError(f"document expands to more than {MAX_NODES} values", 1, 1)
    return located


def _convert(node: yaml.Node, path: Path, marks: dict[Path, tuple[int, int]], constructor: Any) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(marks) > MAX_NODES:
        return None
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            result[key] = _convert(value_node, path + (key,), marks, constructor)
            # A mapping entry is located at its key: "line 5: unknown key 'colour'".
            marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), marks, constructor) for i, item in enumerate(node.value)]
    return constructor.construct_object(node)
