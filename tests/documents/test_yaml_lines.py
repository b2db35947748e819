"""The YAML reader under the loaders: lines for every path, source text kept, hostile input refused."""

from __future__ import annotations

from typing import Any

import pytest

from clearance.documents.yaml_lines import MAX_NODES, Flaw, Path, YamlDocument, dotted, parse_yaml
from clearance.errors import Problem

from .helpers import text


def parsed(source_text: str) -> YamlDocument:
    document = parse_yaml(source_text, source="f.yaml")
    assert isinstance(document, YamlDocument), document
    return document


def paths(data: Any, path: Path = ()) -> list[Path]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += paths(value, (*path, i))
    return out


def test_every_path_has_the_line_of_its_key_or_element() -> None:
    document = parsed(text("""
        # a comment
        a: 1
        b:
          - x
          - c: NO
            d: [y, z]
        e: {f: g}
    """))
    assert {p: document.lines[p] for p in paths(document.data)} == {
        (): 2, ("a",): 2, ("b",): 3, ("b", 0): 4, ("b", 1): 5, ("b", 1, "c"): 5, ("b", 1, "d"): 6,
        ("b", 1, "d", 0): 6, ("b", 1, "d", 1): 6, ("e",): 7, ("e", "f"): 7,
    }


def test_line_of_a_missing_path_is_its_nearest_existing_parent() -> None:
    document = parsed("# header\na:\n  b:\n    c: 1\n")
    assert document.line_of(("a", "b", "missing", 3)) == 3
    assert document.line_of(("nowhere",)) == 2


@pytest.mark.parametrize(("scalar", "value"), [
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("off", "off"), ("true", "true"),
    ("001", "001"), ("1.50", "1.50"), ("0x1F", "0x1F"), ("2026-11-16", "2026-11-16"),
    ("2026-11-16T00:00:00Z", "2026-11-16T00:00:00Z"),
    ("2026-11-16 10:00:00 -5", "2026-11-16T10:00:00-05:00"),
    ("null", None), ("~", None), ("", None), ("'null'", "null"), ('"NO"', "NO"), ("!!str 5", "5"),
])
def test_scalars_keep_their_source_text(scalar: str, value: str | None) -> None:
    assert parsed(f"k: {scalar}\n").data == {"k": value}


def test_duplicate_keys_are_flaws_and_the_first_value_is_kept() -> None:
    document = parsed("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert document.data == {"a": "1", "b": {"c": "1"}}
    assert document.flaws == [Flaw(("b",), 4, 'duplicate key "c" (first on line 3)'),
                              Flaw((), 5, 'duplicate key "a" (first on line 1)')]


def test_non_text_keys_and_odd_tags_are_flaws() -> None:
    document = parsed("? [a, b]\n: 1\nk: !!set {a, b}\n")
    assert [f.message for f in document.flaws] == ["a key must be plain text",
                                                  "unsupported YAML tag tag:yaml.org,2002:set"]


def test_merge_keys() -> None:
    document = parsed(text("""
        base: &b {x: 1, y: 2}
        more: &m {y: 3, z: 4}
        item:
          <<: [*b, *m]
          x: 9
    """))
    assert document.data["item"] == {"x": "9", "y": "2", "z": "4"}
    assert document.lines[("item", "x")] == 5  # the explicit key, not the anchor's
    assert parsed("a: {<<: 5}\n").flaws[0].message == "a merge key (<<) needs a mapping or a list of mappings"


def test_alias_bombs_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    problem = parse_yaml("\n".join(lines) + "\n", source="f.yaml")
    assert problem == Problem(f"YAML expands to more than {MAX_NODES} values (aliases?)", "f.yaml")


def test_recursive_aliases_are_refused() -> None:
    problem = parse_yaml("a: &a [*a]\n", source="f.yaml")
    assert isinstance(problem, Problem) and "recursive" in problem.message


def test_deep_nesting_is_refused_not_crashed() -> None:
    problem = parse_yaml("[" * 1500 + "]" * 1500, source="f.yaml")
    assert isinstance(problem, Problem) and "deeply" in problem.message


def test_a_byte_order_mark_is_ignored() -> None:
    assert parsed("\ufeffk: v\n").data == {"k": "v"}


def test_dotted_leaves_out_list_indices() -> None:
    assert dotted(("restrict", "destinations", 3)) == "restrict.destinations"
    assert dotted((0,)) is None
