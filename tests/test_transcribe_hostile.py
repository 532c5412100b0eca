"""Bad and hostile documentation pages: one located message each (`page:line: error: ...` and a hint),
exit 2, no traceback, nothing written; hostile text in an accepted page stays text."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SPECS
from specgen.cli import main

MODEL = """# Widget

## Fields

| Field | Type | Required | Description | Example |
| ----- | ---- | -------- | ----------- | ------- |
| `Name` | **string* | :heavy_check_mark: | The name. | bolt |
{extra}
"""


@dataclass(frozen=True)
class Case:
    id: str
    pages: dict[str, bytes | str]  # file name → content
    message: str  # in the output
    line: int  # the located line of the (first) page named in `where`
    where: str = "widget.md"
    argument: str = "."  # what is passed: a page, or the folder
    existing: bool = False  # transcribe into a copy of specs/airplane.yaml (provider airplane)
    extra_args: tuple[str, ...] = field(default=())


def model(extra: str = "") -> str:
    return MODEL.format(extra=extra)


CASES = [
    Case("missing-column", {"widget.md": "# Widget\n\n## Fields\n\n| Field | Type | Description |\n| - | - | - |\n"
                                         "| `Name` | *string* | The name. |\n"},
         "table has no Required column", 5),
    Case("missing-cell", {"widget.md": model("| `Size` | *int64* |")}, "row has 2 cells", 8),
    Case("unknown-type", {"widget.md": model("| `Size` | *widget64* | :heavy_minus_sign: | Size. | |")},
         "unknown type 'widget64'", 8),
    Case("broken-link", {"widget.md": model("| `Part` | [shared.Part](./part.md) | :heavy_minus_sign: | A part. | |")},
         "broken link: Part links to", 8),
    Case("broken-link-of-a-page-given-alone", {"widget.md": model("| `Part` | [shared.Part](part.md) | "
                                                                  ":heavy_minus_sign: | A part. | |")},
         "broken link: Part links to", 8, argument="widget.md"),
    Case("defined-twice", {"widget.md": model(), "other.md": model("| `Size` | *int64* | :heavy_minus_sign: | Size. | |")},
         "model Widget is defined differently at", 1, where="widget.md"),
    Case("binary", {"widget.md": b"# Widget\n\x00\x01\x02"}, "NUL byte", 2, argument="widget.md"),
    Case("not-utf8", {"widget.md": b"# Widget\n\n\xff\xfe bad"}, "not UTF-8", 3, argument="widget.md"),
    Case("huge", {"widget.md": "# Widget\n" + "x" * (1024 * 1024 + 10)}, "larger than 1024 KiB", 1, argument="widget.md"),
    Case("unknown-dialect", {"widget.md": "# Just a page\n\nSome prose.\n"}, "not a documentation page of a known dialect",
         1, argument="widget.md"),
    Case("rest-unknown-type", {"widget.md": "# Get widget\n\n**Response body:**\n\n{object}\n- `size`: (float128) Size\n\n"
                                            "## API reference\n\nGET /v1/widgets/{id}\n"},
         "unknown type (float128)", 6),
    Case("rest-no-route", {"widget.md": "# Get widget\n\n**Response body:**\n\n{object}\n- `size`: (integer) Size\n\n"
                                        "## API reference\n\nGET /v1/widgets/{id}\n\nGET /v1/widgets/{id}\n"},
         "transcribed twice", 12),
    Case("openapi-generator-unknown-type", {"widget.md": "# Widget\n\n## Properties\nName | Type | Description | Notes\n"
                                                         "------------ | ------------- | ------------- | -------------\n"
                                                         "**size** | **complex128** | Size. | [optional]\n"},
         "unknown type complex128", 6),
    Case("openapi-generator-missing-notes", {"widget.md": "# Widget\n\n## Properties\nName | Type | Description\n"
                                                          "------------ | ------------- | -------------\n"
                                                          "**size** | **int** | Size.\n"},
         "table has no Notes column", 4),
    Case("openapi-generator-api-missing-column", {"WidgetApi.md": "# WidgetApi\n\nMethod | HTTP request\n"
                                                                 "------------- | -------------\n"
                                                                 "[**get**](WidgetApi.md#get) | **GET** /widgets\n"},
         "table has no Description column", 3, where="WidgetApi.md"),
    Case("no-title", {"widget.md": "## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
                                   "| `Name` | *string* | :heavy_check_mark: | N/A |\n"},
         "page has no `# Title`", 1),
    Case("enum-without-values", {"widget.md": "# Colour\n\n## Values\n\n| Name | Meaning |\n| - | - |\n| `Red` | red |\n"},
         "enum page has no `Name | Value` table", 5),
    Case("existing-spec-conflicting-page", {"widget.md": model("| `Part` | [shared.Nowhere](./nowhere.md) | "
                                                               ":heavy_minus_sign: | A part. | |")},
         "broken link", 8, existing=True),
]


def _write(folder: Path, pages: dict[str, bytes | str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_page_is_one_located_error_and_nothing_is_written(case: Case, tmp_path: Path) -> None:
    pages, specs = tmp_path / "docs", tmp_path / "specs"
    _write(pages, case.pages)
    specs.mkdir()
    provider = "airplane" if case.existing else "widgets"
    if case.existing:
        shutil.copy(SPECS / "airplane.yaml", specs)
    before = {p.name: p.read_bytes() for p in specs.iterdir()}
    argument = pages if case.argument == "." else pages / case.argument
    result = CliRunner().invoke(main, ["transcribe", str(argument), "--provider", provider, "--specs", str(specs),
                                       *case.extra_args])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert case.message in result.output
    assert f"{pages / case.where}:{case.line}: error:" in result.output, result.output
    assert "nothing was written" in result.output
    assert {p.name: p.read_bytes() for p in specs.iterdir()} == before


def test_no_traceback_from_the_real_command(tmp_path: Path) -> None:
    (tmp_path / "widget.md").write_bytes(b"\xff\xfe\x00garbage")
    result = subprocess.run([sys.executable, "-m", "specgen", "transcribe", str(tmp_path / "widget.md"), "--provider", "w",
                             "--specs", str(tmp_path / "specs")], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "widget.md:1: error:" in result.stderr
    assert not (tmp_path / "specs").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["nowhere.md"], "no such file or folder"),
    (["empty"], "no markdown pages"),
])
def test_missing_inputs(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["transcribe", *[str(tmp_path / a) for a in args], "--provider", "w",
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize("provider", ["os", "not-a-name", "class", ""])
def test_bad_provider(provider: str, tmp_path: Path) -> None:
    (tmp_path / "widget.md").write_text(model())
    result = CliRunner().invoke(main, ["transcribe", str(tmp_path / "widget.md"), "--provider", provider,
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and "--provider" in result.output


def test_broken_existing_spec_is_located(tmp_path: Path) -> None:
    (tmp_path / "widget.md").write_text(model())
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "w.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    result = CliRunner().invoke(main, ["transcribe", str(tmp_path / "widget.md"), "--provider", "w",
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and "w.yaml:2" in result.output


HOSTILE_TEXT = '"""; import os; os.system("touch /tmp/pwned") #\x1b[31m \u202e'


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    """Names and prose that would be code if pasted into Python reach the generated package as text only."""
    page = MODEL.format(extra=f"| `__class__` | **string* | :heavy_minus_sign: | {HOSTILE_TEXT} | {HOSTILE_TEXT} |\n"
                              f"| `import` | **string* | :heavy_minus_sign: | ''' \\\\ | |\n"
                              f"| `a b` | **string* | :heavy_minus_sign: | spaces | |")
    (tmp_path / "widget.md").write_text(page)
    specs, out = tmp_path / "specs", tmp_path / "out"
    result = CliRunner().invoke(main, ["transcribe", str(tmp_path / "widget.md"), "--provider", "widgets",
                                       "--specs", str(specs)])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(main, ["generate", "--specs", str(specs), "--out", str(out)]).exit_code == 0
    code = (out / "widgets" / "models.py").read_text()
    compile(code, "models.py", "exec")
    imported = subprocess.run([sys.executable, "-c", "import widgets.models as m; print(sorted(m.Widget.model_fields))"],
                              capture_output=True, text=True, cwd=out, check=False)
    assert imported.returncode == 0, imported.stderr
    assert not Path("/tmp/pwned").exists()


def test_deeply_nested_lists_are_bounded(tmp_path: Path) -> None:
    depth = 500
    items = "".join("  " * i + f"- `f{i}`: {{object}}\n" for i in range(depth))
    (tmp_path / "deep.md").write_text(f"# Get deep\n\n**Response body:**\n\n{{object}}\n{items}\n## API reference\n\nGET /v1/deep\n")
    result = CliRunner().invoke(main, ["transcribe", str(tmp_path / "deep.md"), "--provider", "deep",
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "lists nested more than 32 levels deep" in result.output and f"{tmp_path / 'deep.md'}:" in result.output


def test_a_page_linked_from_a_page_is_followed_within_its_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(docs, {"widget.md": model("| `Part` | [shared.Part](./models/part.md) | :heavy_minus_sign: | A part. | |"),
                  "models/part.md": "# Part\n\n## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
                                    "| `Size` | **int64* | :heavy_minus_sign: | Size. |\n"})
    result = CliRunner().invoke(main, ["transcribe", str(docs / "widget.md"), "--provider", "widgets",
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "specs" / "widgets.yaml").read_text()
    assert "Part:" in text and f"{docs / 'models' / 'part.md'}:7" in text


def test_an_unwritable_specs_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "widget.md").write_text(model())
    (tmp_path / "specs").write_text("a file in the way")
    result = CliRunner().invoke(main, ["transcribe", str(tmp_path / "widget.md"), "--provider", "widgets",
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and "cannot write" in result.output
    assert (tmp_path / "specs").read_text() == "a file in the way"


@pytest.mark.parametrize("title", ["../../etc/passwd", "A B", "x" * 200, "#/components"])
def test_a_model_title_that_cannot_name_a_schema(title: str, tmp_path: Path) -> None:
    (tmp_path / "widget.md").write_text(MODEL.format(extra="").replace("# Widget", f"# {title}"))
    result = CliRunner().invoke(main, ["transcribe", str(tmp_path / "widget.md"), "--provider", "widgets",
                                       "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'widget.md'}:1: error:" in result.output and not (tmp_path / "specs").exists()


def test_a_link_out_of_the_pages_given_is_a_marked_placeholder_and_is_not_read(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(docs, {"widget.md": model("| `Part` | [shared.Part](../secret/part.md) | :heavy_minus_sign: | A part. | |")})
    _write(tmp_path / "secret", {"part.md": "# Part\n\n## Fields\n\n| Field | Type | Required | Description |\n"
                                            "| - | - | - | - |\n| `Secret` | *string* | :heavy_check_mark: | N/A |\n"})
    result = CliRunner().invoke(main, ["transcribe", str(docs), "--provider", "widgets", "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 0, result.output
    assert f"{docs / 'widget.md'}:8: warning: Part links to" in result.output
    text = (tmp_path / "specs" / "widgets.yaml").read_text()
    assert "Secret" not in text and "placeholder: Part is defined on" in text
