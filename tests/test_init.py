"""`specgen init`: a specs folder, a [tool.specgen] table added to pyproject.toml without rewriting
the user's text, the pre-commit and CI snippets; idempotent, and never destroys a file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml  # type: ignore[import-untyped, unused-ignore]

from conftest import ROOT
from test_cli import run, snapshot


def snippets(stdout: str) -> tuple[dict[str, object], dict[str, object]]:
    """The pre-commit config and the GitHub Actions workflow init printed, parsed."""
    pre_commit = stdout[stdout.index("# .pre-commit-config.yaml"):stdout.index("# .github/workflows/")]
    return yaml.safe_load(pre_commit), yaml.safe_load(stdout[stdout.index("# .github/workflows/"):])


def test_an_empty_folder_is_set_up_once(tmp_path: Path) -> None:
    result = run(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created specs/README.md\ncreated pyproject.toml\n")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "pyproject.toml", "specs", "specs/README.md"]
    settings = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["specgen"]
    assert settings == {"specs": "specs", "out": "generated"}
    assert (tmp_path / "pyproject.toml").stat().st_mode & 0o777 != 0o600  # not the temporary file's mode
    before = snapshot(tmp_path)
    again = run(tmp_path, "init")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing to do:") and snapshot(tmp_path) == before
    assert again.stdout[again.stdout.index("\n#"):] == result.stdout[result.stdout.index("\n#"):]


def test_an_existing_pyproject_gets_the_table_appended_byte_for_byte(tmp_path: Path) -> None:
    original = b'[project]\r\nname = "myservice"\r\n\r\n[tool.black]\r\nline-length = 100'  # CRLF, no final newline
    (tmp_path / "pyproject.toml").write_bytes(original)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "acme.yaml").write_text("mine\n")
    result = run(tmp_path, "init", "--specs", "api", "--out", "src/myservice/vendor")
    assert result.returncode == 0, result.stderr
    assert "added [tool.specgen] to pyproject.toml" in result.stdout
    written = (tmp_path / "pyproject.toml").read_bytes()
    assert written.startswith(original + b"\r\n\r\n[tool.specgen]\r\n") and b"\n" not in written.replace(b"\r\n", b"")
    data = tomllib.loads(written.decode())
    assert data["project"] == {"name": "myservice"} and data["tool"]["black"] == {"line-length": 100}
    assert data["tool"]["specgen"] == {"specs": "api", "out": "src/myservice/vendor"}
    assert (tmp_path / "api" / "README.md").is_file()
    assert (tmp_path / "specs" / "acme.yaml").read_text() == "mine\n"  # another folder, untouched
    assert run(tmp_path, "init", "--specs", "api", "--out", "src/myservice/vendor").stdout.startswith("nothing to do")


def test_a_spec_folder_with_files_gets_no_readme(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "acme.yaml").write_text("mine\n")
    assert run(tmp_path, "init").returncode == 0
    assert sorted(p.name for p in (tmp_path / "specs").iterdir()) == ["acme.yaml"]


def test_a_table_that_says_the_same_is_left_alone(tmp_path: Path) -> None:
    text = '[tool.specgen]\nproviders = ["acme"]\npackage-prefix = "acme_"\n'
    (tmp_path / "pyproject.toml").write_text(text)
    result = run(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pyproject.toml").read_text() == text and (tmp_path / "specs" / "README.md").is_file()


def test_a_table_that_says_otherwise_is_refused_politely(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.specgen]\nout = "vendor"\n'
    (tmp_path / "pyproject.toml").write_text(text)
    result = run(tmp_path, "init")
    assert result.returncode == 2
    assert result.stderr.startswith('pyproject.toml:4: error: pyproject.toml already has a [tool.specgen] table '
                                    '(specs = "specs", out = "vendor"); init leaves it as it is\n    hint: ')
    assert "specgen init --specs specs --out vendor" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]
    assert (tmp_path / "pyproject.toml").read_text() == text
    assert run(tmp_path, "init", "--out", "vendor").returncode == 0


def test_nothing_is_written_when_something_is_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "specs").write_text("a file\n")
    result = run(tmp_path, "init")
    assert result.returncode == 2 and "specs is a file, not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["specs"]
    (tmp_path / "specs").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x\n')
    result = run(tmp_path, "init")
    assert result.returncode == 2 and "pyproject.toml:2: error: not valid TOML" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]


def test_the_snippets_run_the_repository_hooks_and_check_in_ci(tmp_path: Path) -> None:
    """The pre-commit snippet has specgen's hooks (.pre-commit-hooks.yaml) with their entries, run
    from the installed specgen, matching the project's folders; the CI job runs `specgen check`."""
    result = run(tmp_path, "init", "--specs", "api", "--out", "src/app/vendor")
    pre_commit, workflow = snippets(result.stdout)
    (repository,) = pre_commit["repos"]  # type: ignore[index]
    assert repository["repo"] == "local"
    shipped = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    printed = {hook["id"]: hook for hook in repository["hooks"]}
    assert sorted(printed) == sorted(shipped)
    for name, hook in printed.items():
        assert (hook["entry"], hook["name"], hook["pass_filenames"]) == (
            shipped[name]["entry"], shipped[name]["name"], shipped[name]["pass_filenames"])
        assert hook["language"] == "system"
    assert re.search(printed["specgen-check"]["files"], "src/app/vendor/acme/client.py")
    assert re.search(printed["specgen-check"]["files"], "api/acme.yaml")
    assert re.search(printed["specgen-check"]["files"], "pyproject.toml")
    assert not re.search(printed["specgen-check"]["files"], "specs/acme.yaml")
    assert re.search(printed["specgen-validate"]["files"], "api/acme.yaml")
    (tmp_path / "other").mkdir()
    default = snippets(run(tmp_path / "other", "init").stdout)[0]["repos"][0]["hooks"]  # type: ignore[index]
    assert {hook["id"]: hook["files"] for hook in default} == {h: shipped[h]["files"] for h in shipped}
    steps = [step.get("run") for step in workflow["jobs"]["check"]["steps"]]  # type: ignore[index]
    assert "specgen check" in steps
