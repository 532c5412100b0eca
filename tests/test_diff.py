"""``specgen diff``: every kind of change, reported in client terms, breaking or compatible, at its line.

Each case edits ``tests/fixtures/diff/shop.yaml`` (text replaced, so every other line stays where it
is) and states the report it must give: for each change, its severity, kind, the client name it is
about, the message, and a fragment of the new spec whose line the change must point at. The
expectation is written here, by hand, from the direction rules in ``specgen/diff/rules.py``; the
test renders it in each format the way the formats are documented and compares with what
``specgen diff`` prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, SPECS
from specgen import diff, pipeline
from specgen.diff import report, rules

SPECGEN = [sys.executable, "-m", "specgen"]
BASE = ROOT / "tests" / "fixtures" / "diff" / "shop.yaml"


@dataclass(frozen=True)
class Expect:
    severity: str
    kind: str
    subject: str
    message: str
    where: str  # the change's line is the last line of this text's first occurrence in the new spec
    note: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    edits: list[tuple[str, str]]  # (text in shop.yaml, replacement), each applied once
    expected: list[Expect] = field(default_factory=list)
    both: list[tuple[str, str]] = field(default_factory=list)  # edits made to the old spec too, first


CASES = [
    Case("method-removed", [("  /orders/{id}/cancel:\n    post:\n      operationId: cancelOrder\n      summary: Cancel an order\n"
                             "      x-specgen-resource: orders\n      x-specgen-method: cancel\n      parameters:\n"
                             "        - name: id\n          in: path\n          required: true\n          schema: {type: string}\n"
                             "      responses:\n        \"204\":\n          description: Cancelled.\n", "")],
         [Expect("breaking", "method-removed", "orders.cancel", "orders.cancel removed", "paths:",
                 "was POST /orders/{id}/cancel")]),
    Case("method-renamed", [("x-specgen-method: cancel", "x-specgen-method: void")],
         [Expect("breaking", "method-renamed", "orders.cancel", "orders.cancel renamed to orders.void",
                 "  /orders/{id}/cancel:\n    post:", "same endpoint, POST /orders/{id}/cancel")]),
    Case("inline-class-renamed-with-its-method", [("x-specgen-method: cancel", "x-specgen-method: void")],
         [Expect("breaking", "method-renamed", "orders.cancel", "orders.cancel renamed to orders.void",
                 "  /orders/{id}/cancel:\n    post:", "same endpoint, POST /orders/{id}/cancel"),
          Expect("breaking", "class-renamed", "CancelResponse", "CancelResponse renamed to VoidResponse",
                 "          description: Cancelled.\n          content:\n            application/json:\n              schema:",
                 "same schema, at #/paths/~1orders~1{id}~1cancel/post/responses/200/content/application~1json/schema")],
         both=[("        \"204\":\n          description: Cancelled.\n",
                "        \"200\":\n          description: Cancelled.\n          content:\n            application/json:\n"
                "              schema:\n                type: object\n                properties:\n"
                "                  refunded: {type: boolean}\n")]),
    Case("method-added", [("components:\n", "  /orders/{id}/refund:\n    post:\n      operationId: refundOrder\n"
                           "      x-specgen-resource: orders\n      parameters:\n        - {name: id, in: path, required: true, "
                           "schema: {type: string}}\n      responses:\n        \"204\": {description: Refunded.}\n"
                           "components:\n")],
         [Expect("compatible", "method-added", "orders.refund_order", "orders.refund_order added",
                 "  /orders/{id}/refund:\n    post:", "POST /orders/{id}/refund")]),
    Case("endpoint-changed", [("  /orders/{id}/cancel:", "  /orders/{id}/void:")],
         [Expect("compatible", "endpoint-changed", "orders.cancel",
                 "orders.cancel now calls POST /orders/{id}/void (was POST /orders/{id}/cancel)",
                 "  /orders/{id}/void:\n    post:")]),
    Case("required-parameter-added", [("        - name: limit\n", "        - name: customer\n          in: query\n"
                                       "          required: true\n          schema: {type: string}\n        - name: limit\n")],
         [Expect("breaking", "argument-added", "orders.list(customer=)", "orders.list: new required parameter customer",
                 "        - name: customer")]),
    Case("optional-parameter-added", [("        - name: limit\n", "        - name: customer\n          in: query\n"
                                       "          schema: {type: string}\n        - name: limit\n")],
         [Expect("compatible", "argument-added", "orders.list(customer=)", "orders.list: new optional parameter customer",
                 "        - name: customer")]),
    Case("parameter-renamed", [("        - name: limit\n", "        - name: max\n")],
         [Expect("breaking", "argument-removed", "orders.list(limit=)", "orders.list: parameter limit removed",
                 "  /orders:\n    get:", "renamed to max?"),
          Expect("compatible", "argument-added", "orders.list(max=)", "orders.list: new optional parameter max",
                 "        - name: max", "renamed from limit?")]),
    Case("parameter-now-required", [("        - name: limit\n          in: query\n",
                                     "        - name: limit\n          in: query\n          required: true\n")],
         [Expect("breaking", "argument-required", "orders.list(limit=)", "orders.list: parameter limit is now required",
                 "        - name: limit")]),
    Case("parameter-type-narrowed", [("        - name: limit\n          in: query\n          schema: {type: integer}",
                                      "        - name: limit\n          in: query\n          schema: {type: boolean}")],
         [Expect("breaking", "argument-type-changed", "orders.list(limit=)", "orders.list: limit: int -> bool",
                 "        - name: limit")]),
    Case("request-field-required-added", [("      required: [item]\n      properties:\n        item: {type: string}\n",
                                           "      required: [item, sku]\n      properties:\n        item: {type: string}\n"
                                           "        sku: {type: string}\n")],
         [Expect("breaking", "field-added", "NewOrder.sku", "NewOrder.sku: new required field", "        sku: {type")]),
    Case("response-field-required-added", [("        placedAt: {type: string}\n",
                                            "        placedAt: {type: string}\n        currency: {type: string}\n"),
                                           ("      required: [id, status]", "      required: [id, status, currency]")],
         [Expect("compatible", "field-added", "Order.currency", "Order.currency: new required field",
                 "        currency: {type")]),
    Case("response-field-removed", [("        total: {type: integer}\n", "")],
         [Expect("breaking", "field-removed", "Order.total", "Order.total removed", "    Order:\n")]),
    Case("response-field-type-changed", [("        total: {type: integer}", "        total: {type: string}")],
         [Expect("breaking", "field-type-changed", "Order.total", "Order.total: int -> str", "        total: {type")]),
    Case("response-field-type-narrowed", [("        total: {type: integer}", "        total: {type: [integer, \"null\"]}"),
                                          ("      required: [id, status]", "      required: [id, status, total]")],
         [Expect("compatible", "field-required", "Order.total", "Order.total: no longer optional", "        total: {type")]),
    Case("response-field-now-optional", [("      required: [id, status]", "      required: [id]")],
         [Expect("breaking", "field-optional", "Order.status", "Order.status: now optional", "        status: {$ref",
                 "it may be None when the server leaves it out")]),
    Case("request-field-now-required", [("      required: [item]", "      required: [item, quantity]")],
         [Expect("breaking", "field-required", "NewOrder.quantity", "NewOrder.quantity: no longer optional",
                 "        quantity: {type")]),
    Case("field-wire-name-changed", [("        placedAt: {type: string}", "        placed_at: {type: string}")],
         [Expect("compatible", "field-wire-name-changed", "Order.placed_at",
                 "Order.placed_at is sent and read as 'placed_at' (was 'placedAt')", "        placed_at: {type")]),
    Case("request-enum-value-removed", [("enum: [open, paid, cancelled]", "enum: [open, paid]")],
         [Expect("breaking", "enum-value-removed", "OrderStatus.CANCELLED", "OrderStatus: value 'cancelled' removed",
                 "    OrderStatus:\n")]),
    Case("response-enum-value-removed", [("enum: [red, green]", "enum: [red]")],
         [Expect("compatible", "enum-value-removed", "Color.GREEN", "Color: value 'green' removed", "    Color:\n",
                 "compatible for readers, as enums are open; Color.GREEN no longer exists")]),
    Case("enum-value-added", [("enum: [open, paid, cancelled]", "enum: [open, paid, cancelled, refunded]")],
         [Expect("compatible", "enum-value-added", "OrderStatus.REFUNDED", "OrderStatus: value 'refunded' added",
                 "enum: [open, paid, cancelled, refunded]")]),
    Case("class-removed", [("    Error:\n      type: object\n      properties:\n        message: {type: string}\n", ""),
                           ("        \"404\":\n          description: No such order.\n          content:\n"
                            "            application/json:\n              schema: {$ref: \"#/components/schemas/Error\"}\n", "")],
         [Expect("breaking", "class-removed", "Error", "Error removed", "  schemas:\n"),
          Expect("compatible", "error-body-changed", "orders.get",
                 "orders.get: error 404 body is no longer parsed into a class (was Error)",
                 "          schema: {type: string}\n      responses:")]),
    Case("class-renamed", [("    NewOrder:\n", "    OrderDraft:\n"), ("schemas/NewOrder", "schemas/OrderDraft")],
         [Expect("breaking", "argument-type-changed", "orders.create(body=)", "orders.create: body: NewOrder -> OrderDraft",
                 "      requestBody:"),
          Expect("breaking", "class-removed", "NewOrder", "NewOrder removed", "  schemas:\n", "renamed to OrderDraft?"),
          Expect("compatible", "class-added", "OrderDraft", "OrderDraft added", "    OrderDraft:")]),
    Case("response-type-changed", [("              schema: {$ref: \"#/components/schemas/Order\"}\n        \"404\"",
                                    "              schema: {$ref: \"#/components/schemas/OrderList\"}\n        \"404\"")],
         [Expect("breaking", "response-type-changed", "orders.get", "orders.get returns OrderList (was Order)",
                 "          schema: {type: string}\n      responses:")]),
    Case("pagination-removed", [("      x-specgen-pagination: {style: page, page_param: page, items: orders}\n", "")],
         [Expect("breaking", "method-removed", "orders.iter_list", "orders.iter_list removed",
                 "  /orders:\n    get:", "orders.list no longer pages")]),
    Case("auth-env-changed", [("x-specgen-env: SHOP_API_KEY", "x-specgen-env: SHOP_TOKEN")],
         [Expect("breaking", "credential-env-changed", "ShopClient(api_key=)",
                 "ShopClient: api_key is read from SHOP_TOKEN, no longer from SHOP_API_KEY", "x-specgen-env: SHOP_TOKEN")]),
    Case("auth-sent-differently", [("      in: header\n      name: X-API-Key", "      in: query\n      name: key")],
         [Expect("compatible", "credential-sent-differently", "ShopClient(api_key=)",
                 "ShopClient: api_key is sent as query key, no longer as header X-API-Key", "    api_key:\n")]),
    Case("server-changed", [("  - url: https://api.shop.test/v1", "  - url: https://api.shop.test/v2")],
         [Expect("compatible", "base-url-changed", "ShopClient(base_url=)",
                 "default base_url: https://api.shop.test/v1 -> https://api.shop.test/v2", "  - url: https://api.shop.test/v2",
                 "pass base_url= to keep calling the old server")]),
    Case("package-renamed", [("x-specgen-package: shop", "x-specgen-package: shop_api")],
         [Expect("breaking", "package-renamed", "shop_api", "package renamed: shop -> shop_api", "x-specgen-package",
                 "`import shop` becomes `import shop_api`")]),
    Case("deprecated", [("      x-specgen-method: get\n", "      x-specgen-method: get\n      deprecated: true\n")],
         [Expect("compatible", "method-deprecated", "orders.get", "orders.get is deprecated", "      deprecated: true")]),
    Case("now-needs-credentials", [("      x-specgen-method: cancel\n", "      x-specgen-method: cancel\n      security: []\n")],
         []),  # replaced below: old and new are swapped for this one
    Case("unchanged-but-reformatted", [("enum: [red, green]", "enum:\n        - red\n        - green")], []),
]


def _base(case: Case) -> str:
    text = BASE.read_text(encoding="utf-8")
    for old, new in case.both:
        assert text.count(old) >= 1, f"{case.id}: {old!r} is not in shop.yaml"
        text = text.replace(old, new, 1)
    return text


def _edited(case: Case) -> str:
    text = _base(case)
    for old, new in case.edits:
        assert text.count(old) >= 1, f"{case.id}: {old!r} is not in shop.yaml"
        text = text.replace(old, new, 1)
    return text


def _line(text: str, fragment: str) -> int:
    """The line of the last non-empty line of ``fragment``'s first occurrence in ``text``."""
    end = text.index(fragment) + len(fragment.rstrip("\n"))
    return text.count("\n", 0, end) + 1


def _pair(case: Case, tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(_base(case), encoding="utf-8")
    new.write_text(_edited(case), encoding="utf-8")
    return old, new


def _expected_text(case: Case, old: Path, new: Path, new_text: str) -> str:
    rows = case.expected
    if not rows:
        return f"shop: {old} -> {new}: no changes to the client\n"
    breaking = sum(1 for e in rows if e.severity == "breaking")
    lines = [f"shop{'_api' if case.id == 'package-renamed' else ''}: {old} -> {new}: "
             f"{breaking} breaking, {len(rows) - breaking} compatible"]
    for e in rows:
        note = f" ({e.note})" if e.note else ""
        lines.append(f"  {new}:{_line(new_text, e.where)}: {e.severity}: {e.message}{note}")
    return "\n".join(lines) + "\n"


def test_each_case_really_edits_the_spec() -> None:
    for case in CASES:
        assert _edited(case) != _base(case), case.id


@pytest.mark.parametrize("case", [c for c in CASES if c.id != "now-needs-credentials"], ids=lambda c: c.id)
def test_each_change_is_reported_in_client_terms_in_every_format(case: Case, tmp_path: Path) -> None:
    old, new = _pair(case, tmp_path)
    new_text = new.read_text(encoding="utf-8")
    result = diff.diff(diff.from_file(old), diff.from_file(new))

    assert report.text([result]) == _expected_text(case, old, new, new_text)

    document = json.loads(report.as_json([result]))
    assert [(c["severity"], c["kind"], c["subject"], c["message"], c["note"], c["line"]) for c in
            document["packages"][0]["changes"]] == [
        (e.severity, e.kind, e.subject, e.message, e.note, _line(new_text, e.where)) for e in case.expected]
    assert document["breaking"] == sum(1 for e in case.expected if e.severity == "breaking")
    assert all(c["file"] == str(new) and c["old_file"] == str(old) for c in document["packages"][0]["changes"])

    markdown = report.markdown([result])
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| |")]
    assert len(rows) == len(case.expected)
    for row, e in zip(rows, case.expected):
        mark, message, where = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert mark == ("**breaking**" if e.severity == "breaking" else "compatible")
        assert _unescaped(message) == e.message + (f" ({e.note})" if e.note else "")
        assert where == f"`{new}:{_line(new_text, e.where)}`"


def _unescaped(markdown_cell: str) -> str:
    out, escaped = [], False
    for char in markdown_cell:
        if char == "\\" and not escaped:
            escaped = True
            continue
        out.append(char)
        escaped = False
    return "".join(out)


def test_security_changes_follow_the_caller(tmp_path: Path) -> None:
    """An operation that could be called anonymously and now needs credentials breaks such callers;
    the reverse does not."""
    (case,) = [c for c in CASES if c.id == "now-needs-credentials"]
    anonymous, secured = _pair(case, tmp_path)
    anonymous.write_text(_edited(case), encoding="utf-8")
    secured.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    tightened = diff.diff(diff.from_file(anonymous), diff.from_file(secured))
    assert [(c.severity, c.kind, c.subject) for c in tightened.changes] == [
        ("breaking", "credentials-required", "ShopClient"),
        ("breaking", "method-needs-credentials", "orders.cancel"),
    ]
    loosened = diff.diff(diff.from_file(secured), diff.from_file(anonymous))
    assert [(c.severity, c.kind) for c in loosened.changes] == [
        ("compatible", "credentials-optional"), ("compatible", "method-anonymous")]


@pytest.mark.parametrize("spec", pipeline.spec_files(SPECS), ids=lambda p: p.stem)
def test_a_spec_diffed_with_itself_has_no_changes(spec: Path) -> None:
    result = diff.diff(diff.from_file(spec), diff.from_file(spec))
    assert result.changes == ()
    assert report.text([result]) == f"{result.package}: {spec} -> {spec}: no changes to the client\n"


# -- the rules, one at a time -----------------------------------------------------------------------


@pytest.mark.parametrize("old, new, sent, read", [
    ("int", "int | str", False, True),  # widened: senders fine, readers may get a str
    ("int | None", "int", True, False),  # narrowed: readers fine, senders may no longer pass None
    ("int", "str", True, True),
    ("Any", "int", True, False),
    ("int", "Any", False, False),
    ("list[int]", "list[str]", True, True),
])
def test_type_change_rule(old: str, new: str, sent: bool, read: bool) -> None:
    assert rules.type_change_breaks(old, new, ["request"]) is sent
    assert rules.type_change_breaks(old, new, ["response"]) is read
    assert rules.type_change_breaks(old, new, ["request", "response"]) is (sent or read)


def test_required_and_enum_rules() -> None:
    assert rules.required_change_breaks(True, ["request"]) and not rules.required_change_breaks(True, ["response"])
    assert rules.required_change_breaks(False, ["response"]) and not rules.required_change_breaks(False, ["request"])
    assert rules.added_breaks(True, ["request"]) and not rules.added_breaks(False, ["request"])
    assert not rules.added_breaks(True, ["response"])
    assert rules.enum_value_removed_breaks(["request"]) and not rules.enum_value_removed_breaks(["response"])


# -- the command ------------------------------------------------------------------------------------


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*SPECGEN, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env,
                          check=False)


def test_airplane_cancel_and_cancelled_removed_fail_on_breaking(tmp_path: Path) -> None:
    """The issue's example: the cancel operation and the Cancelled status value removed."""
    text = (SPECS / "airplane.yaml").read_text(encoding="utf-8")
    start, end = text.index("  /runs/cancel:\n"), text.index("  /runs/get:\n")
    edited = text[:start] + text[end:]
    edited = edited.replace("enum: [NotStarted, Queued, Active, Succeeded, Failed, Cancelled]",
                            "enum: [NotStarted, Queued, Active, Succeeded, Failed]")
    assert edited.count("Cancelled") < text.count("Cancelled")
    (tmp_path / "new.yaml").write_text(edited, encoding="utf-8")
    result = _run(tmp_path, "diff", str(SPECS / "airplane.yaml"), "new.yaml", "--fail-on-breaking")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "breaking: runs.cancel removed" in result.stdout
    assert "Status: value 'Cancelled' removed" in result.stdout
    assert result.stderr == ""


def test_an_optional_field_added_to_airplane_passes_fail_on_breaking(tmp_path: Path) -> None:
    text = (SPECS / "airplane.yaml").read_text(encoding="utf-8")
    marker = "    GetRunResponse:\n"
    block = text[text.index(marker):]
    properties = block.index("      properties:\n") + len("      properties:\n")
    at = text.index(marker) + properties
    edited = text[:at] + "        priority:\n          type: integer\n          description: Queue priority.\n" + text[at:]
    (tmp_path / "new.yaml").write_text(edited, encoding="utf-8")
    for form in ("text", "markdown", "json"):
        result = _run(tmp_path, "diff", str(SPECS / "airplane.yaml"), "new.yaml", "--fail-on-breaking", "--format", form)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "GetRunResponse.priority: new optional field" in result.stdout
        assert "breaking" not in result.stdout.replace("0 breaking", "").replace('"breaking": 0', "")


# -- git revisions ----------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True,
                   capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits of specs/shop.yaml: the base, then the cancel method renamed."""
    repo = tmp_path / "project"
    (repo / "specs").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "specs" / "shop.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "shop")
    (repo / "specs" / "shop.yaml").write_text(
        BASE.read_text(encoding="utf-8").replace("x-specgen-method: cancel", "x-specgen-method: void"), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "rename cancel")
    return repo


def test_git_revision_and_path(repo: Path) -> None:
    result = _run(repo, "diff", "HEAD~1:specs/shop.yaml", "specs/shop.yaml", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    (package,) = document["packages"]
    assert package["old"] == "HEAD~1:specs/shop.yaml" and package["new"] == "specs/shop.yaml"
    assert [c["message"] for c in package["changes"]] == ["orders.cancel renamed to orders.void"]


def test_every_spec_changed_since_a_revision(repo: Path) -> None:
    # one spec changed since main~1, one added, none since HEAD
    (repo / "specs" / "extra.yaml").write_text(
        BASE.read_text(encoding="utf-8").replace("x-specgen-package: shop", "x-specgen-package: extra"), encoding="utf-8")
    result = _run(repo, "diff", "main~1", "--fail-on-breaking")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == "extra: (none) -> specs/extra.yaml: 0 breaking, 1 compatible"
    assert "  specs/extra.yaml:1: compatible: package extra added (4 methods)" in result.stdout
    assert "shop: main~1:specs/shop.yaml -> specs/shop.yaml: 1 breaking, 0 compatible" in result.stdout
    since_head = _run(repo, "diff")
    assert since_head.returncode == 0
    assert since_head.stdout.splitlines()[0] == "extra: (none) -> specs/extra.yaml: 0 breaking, 1 compatible"
    (repo / "specs" / "extra.yaml").unlink()
    assert _run(repo, "diff").stdout == "no spec changed\n"
    (repo / "specs" / "shop.yaml").unlink()
    removed = _run(repo, "diff", "--fail-on-breaking")
    assert removed.returncode == 1
    assert "breaking: package shop removed (its spec HEAD:specs/shop.yaml is gone)" in removed.stdout


def test_one_spec_file_is_compared_with_its_committed_version(repo: Path) -> None:
    path = repo / "specs" / "shop.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("enum: [red, green]", "enum: [red]"), encoding="utf-8")
    result = _run(repo, "diff", "specs/shop.yaml")
    assert result.returncode == 0, result.stderr
    assert "HEAD:specs/shop.yaml -> specs/shop.yaml: 0 breaking, 1 compatible" in result.stdout


@pytest.mark.parametrize("args, message", [
    (("nosuchrev:specs/shop.yaml", "specs/shop.yaml"), "nosuchrev: unknown revision"),
    (("HEAD:specs/nope.yaml", "specs/shop.yaml"), "HEAD:specs/nope.yaml:"),
    (("nothing-here.yaml", "specs/shop.yaml"), "nothing-here.yaml: no such file, and not a git revision and path"),
    (("--", "-x:specs/shop.yaml", "specs/shop.yaml"), "-x: not a git revision"),
    (("a", "b", "c"), "give at most two sides"),
])
def test_bad_sides_are_one_clear_error(repo: Path, args: tuple[str, ...], message: str) -> None:
    result = _run(repo, "diff", *args)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr


def test_outside_a_repository_a_revision_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    env_home = tmp_path  # no repository above tmp_path
    result = _run(env_home, "diff", "HEAD")
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr or "unknown revision" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_old_spec_is_located_at_its_revision(repo: Path) -> None:
    path = repo / "specs" / "shop.yaml"
    path.write_text(BASE.read_text(encoding="utf-8").replace("type: integer", "type: int", 1), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    path.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run(repo, "diff", "HEAD:specs/shop.yaml", "specs/shop.yaml")
    assert result.returncode == 2
    line = BASE.read_text(encoding="utf-8").split("type: integer")[0].count("\n") + 1
    assert f"HEAD:specs/shop.yaml:{line}: error: unknown type 'int'" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_text_cannot_reach_the_terminal_or_break_markdown(tmp_path: Path) -> None:
    """Enum values are spec text: a terminal escape or a table pipe in one stays inert."""
    old = tmp_path / "old.yaml"
    old.write_text(BASE.read_text(encoding="utf-8").replace("enum: [red, green]",
                                                            'enum: [red, "\\e[31mx|`y`"]'), encoding="utf-8")
    new = tmp_path / "new.yaml"
    new.write_text(BASE.read_text(encoding="utf-8").replace("enum: [red, green]", "enum: [red]"), encoding="utf-8")
    result = diff.diff(diff.from_file(old), diff.from_file(new))
    for form in ("text", "markdown"):
        rendered = report.render([result], form)
        assert "\x1b" not in rendered
    rows = [r for r in report.markdown([result]).splitlines() if r.startswith("| ") and "value" in r]
    assert len(rows) == 1 and len(rows[0].replace("\\|", "").split("|")) == 5


# -- CHANGELOG.md in the generated package ----------------------------------------------------------


def _commit_all(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def test_generate_changelog_keeps_the_history_in_the_package(repo: Path) -> None:
    spec, log = repo / "specs" / "shop.yaml", repo / "generated" / "shop" / "CHANGELOG.md"
    assert _run(repo, "generate").returncode == 0
    _commit_all(repo, "generated")
    first = _git_output(repo, "rev-parse", "--short=12", "HEAD")

    spec.write_text(spec.read_text(encoding="utf-8").replace("enum: [red, green]", "enum: [red]"), encoding="utf-8")
    result = _run(repo, "generate", "--changelog")
    assert result.returncode == 0, result.stderr
    text = log.read_text(encoding="utf-8")
    assert text.count("<!-- specgen-changelog") == 1
    assert f"From `{first}:specs/shop.yaml` to `specs/shop.yaml`." in text
    assert "| compatible | Color: value 'green' removed" in text
    for args in (("check",), ("check", "--full")):  # the changelog is the user's: check does not compare it
        assert _run(repo, *args).returncode == 0, args

    # again before committing, after one more edit: the entry is replaced, not stacked
    spec.write_text(spec.read_text(encoding="utf-8").replace("      required: [item]", "      required: [item, quantity]"),
                    encoding="utf-8")
    assert _run(repo, "generate", "--changelog").returncode == 0
    text = log.read_text(encoding="utf-8")
    assert text.count("<!-- specgen-changelog") == 1
    assert "Color: value 'green' removed" in text and "| **breaking** | NewOrder.quantity: no longer optional" in text

    # a plain generate keeps it; after a commit the next change goes on top
    assert _run(repo, "generate").returncode == 0 and log.read_text(encoding="utf-8") == text
    _commit_all(repo, "v2")
    spec.write_text(spec.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0")
                    .replace("enum: [open, paid, cancelled]", "enum: [open, paid, cancelled, refunded]"), encoding="utf-8")
    assert _run(repo, "generate", "--changelog").returncode == 0
    newest = log.read_text(encoding="utf-8")
    assert newest.count("<!-- specgen-changelog") == 2
    assert newest.index("## 1.0.0 → 1.1.0 (0 breaking, 1 compatible)") < newest.index("Color: value 'green' removed")
    assert newest.endswith(text[text.index("## "):])

    # nothing changed since the last commit of the spec: no entry
    _commit_all(repo, "v3")
    assert _run(repo, "generate", "--changelog").returncode == 0
    assert log.read_text(encoding="utf-8") == newest


def test_changelog_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "shop.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run(tmp_path, "generate", "--changelog")
    assert result.returncode == 2
    assert "--changelog: HEAD:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "generated").exists()


def _git_output(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, timeout=60).stdout.strip()
