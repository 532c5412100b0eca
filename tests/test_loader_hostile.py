"""Hostile specs end in one located error (or in working data), never a traceback, a hang or a blow-up.

Each row of HOSTILE is run through ``spec.load`` and through ``specgen validate FILE`` in a process
with a time limit and a 2 GiB address-space cap; each spec in FINE (odd but valid: backtracking
patterns, dates, merge keys, legitimate recursion, ...) must load and validate under the same limits.
Then: unit tests of the YAML loader (lines, merge keys, aliases, scalars) and property tests that
random YAML never escapes as anything but SpecError.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SPECS
from specgen import spec, yamlload
from specgen.diagnostics import SpecError

SPECGEN = [sys.executable, "-m", "specgen", "validate"]
CLI_TIMEOUT = 20  # seconds; every case takes about one
MEMORY_CAP = 2 * 2**30

BASE = """\
openapi: 3.1.0
info:
  title: Hostile
  version: '1'
  x-specgen-package: hostile
  x-specgen-client: HostileClient
paths:
  /things:
    get:
      operationId: listThings
      x-specgen-resource: things
      x-specgen-method: list
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
"""


def with_schemas(schemas: str = "", top: str = "", components: str = "", paths: str = "") -> str:
    """BASE plus schemas (under components/schemas), other components, paths and top-level keys."""
    return BASE.replace("paths:\n", "paths:\n" + paths) + schemas + components + top


def nested(levels: int, open_: str, close: str, inner: str) -> str:
    return open_ * levels + inner + close * levels


@dataclass(frozen=True)
class Hostile:
    id: str
    text: str | bytes
    message: str  # expected in the error
    line_of: str  # the reported line is the line of this text in the spec ("" : line 1)
    occurrence: int = 1

    def line(self) -> int:
        if not self.line_of:
            return 1
        text = self.text if isinstance(self.text, str) else self.text.decode("utf-8", "replace")
        position = -1
        for _ in range(self.occurrence):
            position = text.index(self.line_of, position + 1)
        return text[:position].count("\n") + 1


BOMB = "x-lol:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9)
)
DEEP_BLOCK = "x-deep:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(300)) + " " * 301 + "end: 1\n"
CYCLE_HINT = "$ref cycle: "

HOSTILE = [
    # YAML tags
    Hostile("tag-python-name", with_schemas(top="x-evil: !!python/name:os.system ''\n"),
            "YAML tag !!python/name:os.system is not allowed", "x-evil"),
    Hostile("tag-python-object-on-mapping", with_schemas(top="x-evil: !!python/object:os.system {}\n"),
            "YAML tag !!python/object:os.system is not allowed here", "x-evil"),
    Hostile("tag-local", with_schemas(top="x-evil: !foo bar\n"), "YAML tag !foo is not allowed", "x-evil"),
    Hostile("tag-on-key", with_schemas(top="!foo x-evil: bar\n"), "YAML tag !foo is not allowed on a key", "x-evil"),
    Hostile("tag-python-on-key", with_schemas(top="? !!python/name:os.system x-evil\n: bar\n"),
            "YAML tag !!python/name:os.system is not allowed on a key", "x-evil"),
    Hostile("tag-binary", with_schemas(top="x-bin: !!binary aGVsbG8=\n"), "YAML tag !!binary is not allowed", "x-bin"),
    Hostile("tag-set", with_schemas(top="x-set: !!set {a, b}\n"), "YAML tag !!set is not allowed here", "x-set"),
    Hostile("tag-omap", with_schemas(top="x-omap: !!omap [a: 1, b: 2]\n"), "YAML tag !!omap is not allowed here", "x-omap"),
    Hostile("tag-timestamp", with_schemas(top="x-t: !!timestamp 2024-01-01\n"), "YAML tag !!timestamp is not allowed", "x-t"),
    Hostile("tag-int-on-text", with_schemas(top="x-i: !!int twelve\n"), "'twelve' is not a valid !!int", "x-i"),
    # merge keys and aliases
    Hostile("merge-scalar", with_schemas(top="x-m:\n  <<: 5\n"), "the merge key `<<` takes a mapping", "<<"),
    Hostile("merge-list-of-scalars", with_schemas(top="x-a: &a [1]\nx-m:\n  <<: [*a]\n"),
            "the merge key `<<` takes a mapping", "<<"),
    Hostile("billion-laughs", with_schemas(top=BOMB), "aliases expand the document beyond 1,000,000 nodes", "  f: &f"),
    Hostile("recursive-alias", with_schemas(top="x-r: &r\n  self: *r\n"), "alias *r is inside its own anchor &r", "self"),
    Hostile("recursive-alias-list", with_schemas(top="x-r: &r [a, [*r]]\n"), "alias *r is inside its own anchor", "x-r"),
    Hostile("undefined-alias", with_schemas(top="x-u: *nowhere\n"), "undefined alias *nowhere", "x-u"),
    Hostile("anchor-twice", with_schemas(top="x-a: &a 1\nx-b: &a 2\n"), "anchor &a is defined twice", "x-b"),
    # nesting, documents, keys
    Hostile("deep-flow-nesting", with_schemas(top="x-deep: " + nested(1000, "[", "]", "1") + "\n"),
            "nesting deeper than 256 levels", "x-deep"),
    Hostile("deep-block-nesting", with_schemas(top=DEEP_BLOCK), "nesting deeper than 256 levels", " k255:"),
    Hostile("deep-flow-mapping", with_schemas(top="x-deep: " + nested(100_000, "{a: ", "}", "1") + "\n"),
            "nesting deeper than 256 levels", "x-deep"),
    Hostile("two-documents", with_schemas() + "---\nopenapi: 3.1.0\n", "a second YAML document", "---"),
    Hostile("mapping-as-key", with_schemas(top="? [a, b]\n: x\n"), "a mapping or list used as a mapping key", "? [a"),
    Hostile("alias-of-mapping-as-key", with_schemas(top="x-m: &m {a: 1}\n? *m\n: x\n"),
            "a mapping or list used as a mapping key", "? *m"),
    Hostile("duplicate-key", with_schemas(top="x-a: 1\nx-a: 2\n"), "duplicate key 'x-a'", "x-a", occurrence=2),
    # scalars
    Hostile("huge-integer", with_schemas(top="x-n: " + "9" * 5000 + "\n"), "integer with more than 4300 digits", "x-n"),
    Hostile("huge-hex-integer", with_schemas(top="x-n: 0x" + "f" * 4000 + "\n"), "integer with more than 4300 digits", "x-n"),
    Hostile("huge-sexagesimal", with_schemas(top="x-n: " + ":".join(["59"] * 3000) + "\n"),
            "integer with more than 4300 digits", "x-n"),
    Hostile("integer-without-digits", with_schemas(top="x-n: 0x_\n"), "'0x_' is not a valid integer", "x-n"),
    Hostile("infinity", with_schemas(top="x-f: .inf\n"), "'.inf' is not a finite number", "x-f"),
    Hostile("minus-infinity", with_schemas("    Big:\n      type: number\n      maximum: -.Inf\n"),
            "'-.Inf' is not a finite number", "maximum"),
    Hostile("nan", with_schemas(top="x-f: .NaN\n"), "'.NaN' is not a finite number", "x-f"),
    Hostile("float-overflow", with_schemas(top="x-f: 1.0e+999\n"), "'1.0e+999' is not a finite number", "x-f"),
    # the file itself
    Hostile("empty", "", "spec is empty", ""),
    Hostile("only-comments", "# nothing\n\n", "spec is empty", ""),
    Hostile("scalar-document", "openapi 3.1.0\n", "a spec must be a YAML mapping", ""),
    Hostile("list-document", "- openapi: 3.1.0\n", "a spec must be a YAML mapping (an OpenAPI document), not a list", ""),
    Hostile("nul-byte", with_schemas(top="x-nul: a\x00b\n").encode(), "spec contains a NUL byte", "x-nul"),
    Hostile("latin-1", with_schemas(top="x-name: Müller\n").encode("latin-1"), "spec is not UTF-8", "x-name"),
    Hostile("utf-16", with_schemas().encode("utf-16"), "spec is UTF-16 or UTF-32 text, not UTF-8", ""),
    Hostile("bom-inside", with_schemas(top="x-b: a\ufeffb\n").encode(), "byte order mark (U+FEFF) inside the spec", "x-b"),
    Hostile("control-character", with_schemas(top="x-c: a\x07b\n").encode(), "control characters are not allowed", "x-c"),
    Hostile("yaml-syntax", with_schemas(top="x-s: [unclosed\n"), "YAML syntax error", "[unclosed"),
    Hostile("paths-not-a-mapping", "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: [1, 2]\n",
            "invalid OpenAPI: [1, 2] is not of type 'object'", "paths:"),
    Hostile("pattern-unbalanced", with_schemas("    Word:\n      type: string\n      pattern: '^(a|b$'\n"),
            "invalid pattern '^(a|b$': missing ), unterminated subpattern", "pattern:"),
    Hostile("pattern-property-nothing-to-repeat", with_schemas("    Map:\n      type: object\n      patternProperties:\n        '*x': {}\n"),
            "invalid pattern '*x': nothing to repeat", "'*x'"),
    # $ref cycles and targets
    Hostile("ref-self", with_schemas("    A:\n      $ref: '#/components/schemas/A'\n"), CYCLE_HINT + "A → A", "$ref: '#/components/schemas/A'"),
    Hostile("ref-two-cycle", with_schemas("    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"),
            CYCLE_HINT + "A → B → A", "$ref: '#/components/schemas/B'"),
    Hostile("allof-self", with_schemas("    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - type: object\n"),
            CYCLE_HINT + "A → A", "$ref: '#/components/schemas/A'"),
    Hostile("anyof-oneof-cycle", with_schemas(
        "    A:\n      anyOf:\n        - type: string\n        - $ref: '#/components/schemas/B'\n"
        "    B:\n      oneOf:\n        - type: integer\n        - $ref: '#/components/schemas/A'\n"),
        CYCLE_HINT + "A → B → A", "$ref: '#/components/schemas/B'"),
    Hostile("parameter-cycle", with_schemas(components="  parameters:\n    P:\n      $ref: '#/components/parameters/Q'\n"
                                                    "    Q:\n      $ref: '#/components/parameters/P'\n"),
            CYCLE_HINT + "P → Q → P", "$ref: '#/components/parameters/Q'"),
    Hostile("response-cycle", with_schemas(components="  responses:\n    R:\n      $ref: '#/components/responses/R'\n"),
            CYCLE_HINT + "R → R", "$ref: '#/components/responses/R'"),
    Hostile("request-body-cycle", with_schemas(components="  requestBodies:\n    B:\n      $ref: '#/components/requestBodies/C'\n"
                                                       "    C:\n      $ref: '#/components/requestBodies/B'\n"),
            CYCLE_HINT + "B → C → B", "$ref: '#/components/requestBodies/C'"),
    Hostile("path-item-cycle", with_schemas(paths="  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\n"),
            CYCLE_HINT + "#/paths/~1a → #/paths/~1b → #/paths/~1a", "$ref: '#/paths/~1b'"),
    Hostile("parameter-ref-to-text", with_schemas(
        paths="  /p:\n    get:\n      parameters:\n        - $ref: '#/info/title'\n      responses:\n        '204': {description: none}\n"),
        "$ref '#/info/title' points at a str, not an object", "$ref: '#/info/title'"),
    Hostile("response-ref-to-list", with_schemas(
        paths="  /p:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/schemas/Thing/required'\n",
        schemas="      required: [name]\n"),
        "points at a list, not an object", "$ref: '#/components/schemas/Thing/required'"),
    Hostile("schema-ref-to-number", with_schemas("    N:\n      $ref: '#/info/x-n'\n").replace("  version: '1'\n", "  version: '1'\n  x-n: 5\n"),
            "$ref '#/info/x-n' points at a int, not a schema", "$ref: '#/info/x-n'"),
    Hostile("ref-not-a-string", with_schemas("    N:\n      properties:\n        x:\n          $ref: 5\n"),
            "$ref must be a string, not int", "$ref: 5"),
    Hostile("ref-huge-index", with_schemas("      required: [name]\n    N:\n      $ref: '#/components/schemas/Thing/required/"
                                           + "9" * 5000 + "'\n"),
            "unresolved $ref", "$ref: '#/components/schemas/Thing/required/9"),
    # deep schemas
    Hostile("deep-anyof-1500", with_schemas("    Deep:\n      " + nested(1500, "{anyOf: [", "]}", "{type: string}") + "\n"),
            "nesting deeper than 256 levels", "{anyOf"),  # YAML nesting: two levels a schema
    Hostile("deep-anyof-100", with_schemas("    Deep:\n      " + nested(100, "{anyOf: [", "]}", "{type: string}") + "\n"),
            "schema nested more than 64 levels deep", "{anyOf"),
    Hostile("deep-array", with_schemas("    Deep:\n" + "".join("  " * (i + 3) + "type: array\n" + "  " * (i + 3) + "items:\n"
                                                          for i in range(200)) + "  " * 203 + "type: string\n"),
            "schema nested more than 64 levels deep", "items:", occurrence=64),
    Hostile("deep-properties-in-parameter", with_schemas(
        paths="  /p:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: "
        + nested(100, "{properties: {p: ", "}}", "{type: string}") + "\n      responses:\n        '204': {description: none}\n"),
        "schema nested more than 64 levels deep", "schema: {properties"),
]


def cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / f"{name}.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``specgen validate PATH`` in its own process, with a time limit and a memory cap."""
    try:
        return subprocess.run([*SPECGEN, str(path)], cwd=ROOT, capture_output=True, text=True, check=False,
                              timeout=CLI_TIMEOUT, preexec_fn=cap_memory)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess([], -1, "", f"timed out after {CLI_TIMEOUT} s")


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """``specgen validate`` on every hostile and every odd-but-fine spec, run side by side."""
    directory = tmp_path_factory.mktemp("cli")
    paths = {case.id: write(directory, case.id, case.text) for case in HOSTILE}
    paths.update({name: write(directory, name, text) for name, text in FINE.items() if name not in LOAD_ONLY})
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(paths, pool.map(validate, paths.values())))
    return {name: (paths[name], results[name]) for name in paths}


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_load_reports_one_located_error(tmp_path: Path, case: Hostile) -> None:
    path = write(tmp_path, case.id, case.text)
    with pytest.raises(SpecError) as caught:
        spec.load(path)
    diagnostics = caught.value.diagnostics
    assert len(diagnostics) == 1, caught.value
    assert case.message in diagnostics[0].message, caught.value
    assert diagnostics[0].line == case.line(), caught.value
    assert diagnostics[0].hint


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_cli_reports_it_with_exit_code_2(
    cli_results: dict[str, tuple[Path, subprocess.CompletedProcess[str]]], case: Hostile
) -> None:
    path, result = cli_results[case.id]
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert f"{path}:{case.line()}: error: " in result.stderr, result.stderr[-3000:]
    assert case.message in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in output
    assert "1 problem;" in result.stderr


def test_too_many_values_are_refused_where_they_cross_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlload, "MAX_NODES", 1000)
    path = write(tmp_path, "many", with_schemas(top="x-many:\n" + "".join(f"  - {i}\n" for i in range(2000))))
    with pytest.raises(SpecError, match=r"many.yaml:\d+: error: more than 1,000 values in the spec") as caught:
        spec.load(path)
    crossing = path.read_text().splitlines()[caught.value.diagnostics[0].line - 1]
    assert crossing == "  - 945"  # the 1,001st value: 55 up to the list itself, then items 0 to 945


def test_a_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:  # sparse: no disk space, and never read
        stream.truncate(yamlload.MAX_FILE_BYTES + 1)
    with pytest.raises(SpecError, match=r"huge.yaml:1: error: spec is too large \(64 MiB\)"):
        spec.load(path)


# -- inputs that are odd but fine: they load, and the CLI validates them ------------------------------

REDOS_DEFAULT = "a" * 45 + "!"
LOAD_ONLY = {"unique-items-big-default"}  # the later stages take seconds to render a 20,000-item default
FINE = {
    "redos-pattern-with-default": with_schemas(
        f"    Slow:\n      type: string\n      pattern: '(a+)+$'\n      default: '{REDOS_DEFAULT}'\n"),
    "redos-pattern-with-examples": with_schemas(
        f"    Slow:\n      type: string\n      pattern: '(a+)+$'\n      example: '{REDOS_DEFAULT}'\n"
        f"      examples: ['{REDOS_DEFAULT}']\n"),
    "redos-pattern-properties": with_schemas(
        "    Slow:\n      type: object\n      patternProperties:\n        '(a+)+$': {type: string}\n"
        f"      additionalProperties: false\n      default: {{'{REDOS_DEFAULT}': x}}\n"),
    "redos-pattern-through-ref": with_schemas(
        "    Slow:\n      type: object\n      properties:\n        s: {$ref: '#/components/schemas/Word'}\n"
        f"      default: {{s: '{REDOS_DEFAULT}'}}\n    Word:\n      type: string\n      pattern: '^(a|a)*$'\n"),
    "redos-pattern-in-extension-through-ref": with_schemas(
        "    Bar:\n      $ref: '#/x-defs/Foo'\n",
        top="x-defs:\n  Foo:\n    type: object\n    patternProperties:\n      '^a':\n        type: string\n"
        f"        pattern: '(a+)+$'\n        default: '{REDOS_DEFAULT}'\n"),
    "ecma-pattern": with_schemas("    Word:\n      type: string\n      pattern: '^\\p{L}+$'\n      default: abc\n"
                                 "    Year:\n      type: string\n      pattern: '^(?<year>\\d{4})[^]*$'\n"
                                 "    Names:\n      type: object\n      patternProperties:\n        '^\\p{Lu}': {type: string}\n"),
    "huge-formatted-default": with_schemas(
        "    Host:\n      type: string\n      format: idn-hostname\n      default: '" + "a." * 200_000 + "'\n"
        "    Mail:\n      type: string\n      format: email\n      default: '" + "@" * 100_000 + "'\n"),
    "unique-items-big-default": with_schemas(
        "    Many:\n      type: array\n      uniqueItems: true\n      items: {type: object}\n      default: ["
        + ", ".join("{a: %d}" % i for i in range(20_000)) + "]\n"),
    "dates-stay-text": with_schemas(
        "    Day:\n      type: string\n      enum: [2024-01-01, 2024-02-29]\n      default: 2024-01-01\n"
        "      example: 2001-12-14t21:59:43.10-05:00\n"),
    "merge-keys": with_schemas(
        "    Base: &base\n      type: object\n      properties: {name: {type: string}}\n"
        "    Derived:\n      <<: *base\n      description: a Base by another name\n"),
    "aliases-shared": with_schemas("    Shared: &shared {type: object, properties: {n: {type: integer}}}\n    Again: *shared\n"),
    "recursion-through-properties": with_schemas(
        "    Node:\n      type: object\n      properties:\n        children:\n          type: array\n"
        "          items: {$ref: '#/components/schemas/Node'}\n        parent: {$ref: '#/components/schemas/Node'}\n"
        "        extra:\n          additionalProperties: {$ref: '#/components/schemas/Node'}\n"
        "        either:\n          anyOf: [{type: string}, {type: array, items: {$ref: '#/components/schemas/Node'}}]\n"),
    "recursion-the-validator-cannot-follow": with_schemas(
        "    Nested:\n      allOf:\n        - type: array\n          items: {$ref: '#/components/schemas/Nested'}\n"),
    "deep-but-allowed": with_schemas("    Deep:\n      " + nested(60, "{type: array, items: ", "}", "{type: string}") + "\n"),
    "deep-extension-data": with_schemas(top="x-deep: " + nested(250, "[", "]", "1") + "\n"),
    "leading-bom": "\ufeff" + with_schemas(),
    "keys-as-written": with_schemas(top="x-keys: {200: a, true: b, null: c, 0x10: d, 1.5: e, ~: f}\n"),
}


# A default that does not match its schema is a warning, at the line of the value that is wrong, and
# the default is left out of the document the client is generated from.
WARNED = [
    Hostile("default-too-long", with_schemas("    Code:\n      type: string\n      maxLength: 2\n      default: abc\n"),
            "`default` does not match its schema ('abc' is too long)", "default: abc"),
    Hostile("default-wrong-inside", with_schemas("    Word: {type: string}\n    Pair:\n      type: object\n      properties:\n"
                                                 "        w: {$ref: '#/components/schemas/Word'}\n      default:\n        w: 5\n"),
            "`default` does not match its schema (5 is not of type 'string')", "w: 5"),
]


@pytest.mark.parametrize("case", WARNED, ids=lambda c: c.id)
def test_a_wrong_default_is_one_located_warning_and_left_out(tmp_path: Path, case: Hostile) -> None:
    loaded = spec.load(write(tmp_path, case.id, case.text))
    assert [(w.line, w.severity) for w in loaded.warnings] == [(case.line(), "warning")], loaded.warnings
    assert case.message in loaded.warnings[0].message
    assert not any("default" in schema for schema in loaded.data["components"]["schemas"].values())


@pytest.mark.parametrize("name", FINE)
def test_odd_but_valid_specs_load(tmp_path: Path, name: str) -> None:
    spec.load(write(tmp_path, name, FINE[name]))


@pytest.mark.parametrize("name", [name for name in FINE if name not in LOAD_ONLY])
def test_odd_but_valid_specs_validate_in_bounded_time(
    cli_results: dict[str, tuple[Path, subprocess.CompletedProcess[str]]], name: str
) -> None:
    _, result = cli_results[name]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


# -- the loader's own behaviour ----------------------------------------------------------------------

def load_text(tmp_path: Path, text: str) -> tuple[Any, dict[spec.Pointer, int]]:
    path = write(tmp_path, "spec", text)
    return yamlload.load_yaml(path, yamlload.read_text(path))


def test_every_key_and_item_has_its_line(tmp_path: Path) -> None:
    data, lines = load_text(tmp_path, "a: 1\nb:\n  - x\n  -\n    c: 2\n  - [y, z]\nd: {e: 3,\n  f: 4}\n'g h': |\n  text\ni: end\n")
    assert data == {"a": 1, "b": ["x", {"c": 2}, ["y", "z"]], "d": {"e": 3, "f": 4}, "g h": "text\n", "i": "end"}
    assert lines == {
        (): 1, ("a",): 1, ("b",): 2, ("b", "0"): 3, ("b", "1"): 5, ("b", "1", "c"): 5, ("b", "2"): 6,
        ("b", "2", "0"): 6, ("b", "2", "1"): 6, ("d",): 7, ("d", "e"): 7, ("d", "f"): 8, ("g h",): 9, ("i",): 11,
    }


def test_merge_keys_written_keys_win_then_earlier_sources(tmp_path: Path) -> None:
    data, lines = load_text(tmp_path, (
        "one: &one {a: 1, b: 1, c: 1}\n"
        "two: &two {b: 2, c: 2, d: 2}\n"
        "m:\n"
        "  c: 0\n"
        "  <<: [*one, *two]\n"
        "  b: 0\n"
    ))
    assert data["m"] == {"c": 0, "a": 1, "b": 0, "d": 2}
    assert list(data["m"]) == ["c", "a", "b", "d"]  # merged keys take the place of `<<`
    assert lines[("m", "a")] == 5 and lines[("m", "b")] == 6 and lines[("m", "c")] == 4
    assert data["one"] == {"a": 1, "b": 1, "c": 1}  # the sources are untouched


def test_merge_key_inline_mapping_and_quoted_merge_key_is_a_plain_key(tmp_path: Path) -> None:
    data, _ = load_text(tmp_path, "m:\n  <<: {a: 1}\n  '<<': literal\nv: <<\n")
    assert data == {"m": {"a": 1, "<<": "literal"}, "v": "<<"}


def test_a_key_twice_after_a_merge_is_still_a_duplicate(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"spec.yaml:5: error: duplicate key 'a'"):
        load_text(tmp_path, "base: &b {a: 1}\nm:\n  <<: *b\n  a: 2\n  a: 3\n")


def test_aliases_share_the_anchored_object(tmp_path: Path) -> None:
    data, lines = load_text(tmp_path, "a: &x {k: [1, 2]}\nb: *x\nc: [*x]\n")
    assert data["b"] is data["a"] and data["c"][0] is data["a"]
    assert lines[("b",)] == 2 and lines[("c", "0")] == 3
    assert ("b", "k") not in lines  # found through the closest ancestor, the alias


def test_dates_timestamps_and_value_tag_stay_as_written(tmp_path: Path) -> None:
    data, _ = load_text(tmp_path, "enum: [2024-01-01, 2001-12-14 21:59:43.10 -5]\ndefault: 2024-01-01T00:00:00Z\neq: =\n")
    assert data == {"enum": ["2024-01-01", "2001-12-14 21:59:43.10 -5"], "default": "2024-01-01T00:00:00Z", "eq": "="}


def test_json_scalars_and_allowed_tags(tmp_path: Path) -> None:
    data, _ = load_text(tmp_path, (
        "i: 12\nh: 0x1f\nf: 1.5\ne: 1.0e+3\nb: yes\nn: ~\nq: '12'\ns: !!str 12\nt: !!int '7'\nu: !!float 1\n"
        "v: ! 12\nm: !!map {a: 1}\nl: !!seq [1]\nbig: " + "9" * 4300 + "\n"
    ))
    assert data == {"i": 12, "h": 31, "f": 1.5, "e": 1000.0, "b": True, "n": None, "q": "12", "s": "12", "t": 7,
                    "u": 1.0, "v": "12", "m": {"a": 1}, "l": [1], "big": int("9" * 4300)}


def test_json_numbers_with_an_exponent_and_no_fraction_are_numbers(tmp_path: Path) -> None:
    """YAML 1.1's float needs a dot; a JSON document (read by the same reader) writes ``1e+20``."""
    data, _ = load_text(tmp_path, '{"a": 1e+20, "b": -2E5, "c": 0e0, "d": "1e5", "e": 1e5x, "f": 01e5}\n')
    assert data == {"a": 1e20, "b": -200000.0, "c": 0.0, "d": "1e5", "e": "1e5x", "f": "01e5"}
    assert isinstance(data["c"], float)


def test_keys_are_the_text_written(tmp_path: Path) -> None:
    data, _ = load_text(tmp_path, "200: a\ntrue: b\nnull: c\n0x10: d\n1.50: e\n~: f\n? \n: g\n")
    assert list(data) == ["200", "true", "null", "0x10", "1.50", "~", ""]


def test_an_expansion_within_budget_is_accepted(tmp_path: Path) -> None:
    # 10 aliases of 10 aliases of 1,000 items: 100,000 nodes expanded from about 1,100 written
    text = "a: &a [" + ", ".join(["1"] * 1000) + "]\nb: &b [" + ", ".join(["*a"] * 10) + "]\nc: [" + ", ".join(["*b"] * 10) + "]\n"
    data, _ = load_text(tmp_path, text)
    assert len(data["c"]) == 10 and data["c"][0][0] is data["a"]


def test_the_committed_specs_are_far_from_the_limits() -> None:
    for path in sorted(SPECS.glob("*.yaml")):
        loaded = spec.load(path)
        depths = [depth for _, _, role, depth in spec._walk([((), loaded.data, spec.SPEC)]) if role == spec.SCHEMA]
        assert max(depths) <= spec.MAX_SCHEMA_DEPTH // 8, path
        assert max(len(p) for p in loaded.lines) <= yamlload.MAX_DEPTH // 8, path


# -- property tests: random YAML never escapes as anything but SpecError -----------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=8), json_values, min_size=1, max_size=5))
def test_json_data_dumped_to_yaml_comes_back_unchanged(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    # PyYAML itself is the judge (it reads a few characters such as U+0085 as line breaks)
    assert yamlload.load_yaml(Path("random.yaml"), text)[0] == yaml.load(text, Loader=yaml.CSafeLoader)


YAMLISH = st.text(alphabet="ab01:-[]{},&*!|>'\"#\n ?<=.~%@\t\\x", max_size=120)


@settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_random_yamlish_text_loads_or_is_a_spec_error(text: str) -> None:
    try:
        yamlload.load_yaml(Path("random.yaml"), text)
    except SpecError as exc:
        assert all(d.line >= 1 for d in exc.diagnostics)


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["openapi", "info", "paths", "components", "x-a", "$ref"]), json_values, max_size=4),
       st.sampled_from(["", "openapi: 3.1.0\n", "components: {schemas: {A: {$ref: '#/components/schemas/B'}, B: {allOf: [{$ref: '#/components/schemas/A'}]}}}\n"]))
def test_random_documents_through_the_whole_load_end_in_a_spec_error_at_worst(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any], prefix: str
) -> None:
    path = tmp_path_factory.mktemp("random") / "random.yaml"
    if prefix:
        data.pop("openapi", None)
        data.pop("components", None)
    path.write_text(prefix + (yaml.safe_dump(data) if data else ""))
    try:
        spec.load(path)
    except SpecError:
        pass

