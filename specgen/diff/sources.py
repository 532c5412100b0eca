"""Where the two sides of a diff come from: a spec file, or a spec as it was at a git revision.

``specs/airplane.yaml`` is a file; ``HEAD~1:specs/airplane.yaml`` (any revision git understands,
then a path relative to the current folder) is read with ``git show``; and :func:`changed_since`
pairs every spec of a folder with its version at a revision. Git runs with a time limit and its
failures become one clear :class:`SourceError`, never a traceback.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..yamlload import MAX_FILE_BYTES

GIT_TIMEOUT = 60  # seconds for one git command


class SourceError(Exception):
    """A side of the diff cannot be read (no such file, not a git repository, an unknown revision)."""


@dataclass(frozen=True)
class Source:
    """One spec to compare: its name in reports, and its bytes."""

    display: str
    name: str  # the file name it is read under (its suffix says JSON or YAML)
    data: bytes


def resolve(argument: str) -> Source:
    """``argument`` as a file if there is one, else as ``REVISION:PATH``."""
    path = Path(argument)
    if path.is_file():
        return from_file(path)
    revision, colon, relative = argument.partition(":")
    if not colon or not revision or not relative:
        raise SourceError(f"{argument}: no such file, and not a git revision and path (REV:PATH, "
                          "e.g. HEAD~1:specs/acme.yaml)")
    return from_git(revision, relative)


def from_file(path: Path) -> Source:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB")
        return Source(str(path), path.name, path.read_bytes())
    except OSError as exc:
        raise SourceError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def from_git(revision: str, relative: str) -> Source:
    """The file at ``relative`` (to the current folder) as it was at ``revision``."""
    _check_revision(revision)
    spec = f"{revision}:{_git_path(relative)}"
    size = _git("cat-file", "-s", spec, what=f"{revision}:{relative}").strip()
    if size.isdigit() and int(size) > MAX_FILE_BYTES:
        raise SourceError(f"{revision}:{relative}: larger than {MAX_FILE_BYTES // 2**20} MiB")
    data = _git_bytes("show", spec, what=f"{revision}:{relative}")
    return Source(f"{revision}:{relative}", Path(relative).name, data)


def at_revision(revision: str, relative: str) -> Source | None:
    """The file at ``relative`` as it was at ``revision``, or None when it did not exist then."""
    _check_revision(revision)
    try:
        subprocess.run(["git", "cat-file", "-e", f"{revision}:{_git_path(relative)}"], capture_output=True,
                       timeout=GIT_TIMEOUT, check=True)
    except subprocess.CalledProcessError:
        return None
    except subprocess.TimeoutExpired:
        raise SourceError(f"{revision}:{relative}: git took longer than {GIT_TIMEOUT} s") from None
    return from_git(revision, relative)


def commit_of(revision: str) -> str:
    """The abbreviated commit id ``revision`` names now (for a record that outlives the name)."""
    _check_revision(revision)
    return _git("rev-parse", "--short=12", f"{revision}^{{commit}}", what=revision).strip()


def changed_since(revision: str, specs_dir: Path, suffixes: tuple[str, ...]) -> list[tuple[Source | None, Source | None]]:
    """Every spec in ``specs_dir`` that differs from its version at ``revision`` (one added or
    removed since has ``None`` on the other side), in file-name order."""
    _check_revision(revision)
    folder = _git_path(str(specs_dir)).rstrip("/")
    listed = _git("ls-tree", "--name-only", f"{revision}:{folder}", what=f"{revision}:{specs_dir}",
                  missing_ok=True)
    before = {name for name in listed.splitlines() if Path(name).suffix in suffixes}
    now = {p.name for p in specs_dir.glob("*") if p.suffix in suffixes and p.is_file()} if specs_dir.is_dir() else set()
    pairs: list[tuple[Source | None, Source | None]] = []
    for name in sorted(before | now):
        old = from_git(revision, str(specs_dir / name)) if name in before else None
        new = from_file(specs_dir / name) if name in now else None
        if old is None or new is None or old.data != new.data:
            pairs.append((old, new))
    return pairs


def _check_revision(revision: str) -> None:
    if revision.startswith("-"):
        raise SourceError(f"{revision}: not a git revision")
    _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", what=revision)


def _git_path(relative: str) -> str:
    """A path git reads relative to the current folder (``./x``), not to the repository's root."""
    path = Path(relative)
    if path.is_absolute():
        top = Path(_git("rev-parse", "--show-toplevel", what="the repository").strip())
        try:
            return path.resolve().relative_to(top.resolve()).as_posix()
        except ValueError:
            raise SourceError(f"{relative}: outside the git repository at {top}") from None
    return "./" + path.as_posix()


def _git(*args: str, what: str, missing_ok: bool = False) -> str:
    return _git_bytes(*args, what=what, missing_ok=missing_ok).decode("utf-8", "replace")


def _git_bytes(*args: str, what: str, missing_ok: bool = False) -> bytes:
    try:
        result = subprocess.run(["git", *args], capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise SourceError(f"{what}: git is not installed, so revisions cannot be read") from None
    except subprocess.TimeoutExpired:
        raise SourceError(f"{what}: git took longer than {GIT_TIMEOUT} s") from None
    if result.returncode != 0:
        if missing_ok:
            return b""
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1].removeprefix("fatal: ") if reason else f"git {args[0]} failed"
        if "not a git repository" in detail:
            detail = "not inside a git repository"
        elif args[0] == "rev-parse" and not reason:
            detail = "unknown revision"
        raise SourceError(f"{what}: {detail}")
    return result.stdout
