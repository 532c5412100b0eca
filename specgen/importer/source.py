"""Read the source document (local file or http(s) URL) and inline its relative multi-file ``$ref``s.

A reference to another file (``other.yaml#/components/schemas/X``, ``./schemas/x.json``) is
resolved against the file it is written in and inlined into the root document as a component
(``components/<kind>/<name>``, or ``definitions/<name>`` ... for Swagger 2.0), named after the
pointer's last part or the file's stem, with ``_2``, ``_3`` ... on a clash. A path item that is a
reference is inlined in place. Only files inside the source's folder (local) or URLs of the same
origin (URL source) are followed.
"""

from __future__ import annotations

import json
import posixpath
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .. import yamlload
from ..diagnostics import SpecError
from .errors import ImportProblem

MAX_BYTES = 32 * 1024 * 1024
TIMEOUT = 30.0
_SECTIONS_30 = ("schemas", "parameters", "responses", "requestBodies", "headers", "examples",
                "securitySchemes", "links", "callbacks", "pathItems")
_SECTIONS_20 = ("definitions", "parameters", "responses")


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch_text(location: str) -> str:
    """The text at a local path or http(s) URL, at most :data:`MAX_BYTES`."""
    if is_url(location):
        try:
            with urllib.request.urlopen(location, timeout=TIMEOUT) as response:  # noqa: S310 (http(s) only)
                raw = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ImportProblem(location, f"cannot download: {reason}",
                                "check the URL and that the server is reachable") from None
    else:
        path = Path(location)
        if not path.is_file():
            raise ImportProblem(location, "no such file", "give the path of an OpenAPI/Swagger document or an http(s) URL")
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ImportProblem(location, f"file larger than {MAX_BYTES // 2**20} MiB", "")
            raw = path.read_bytes()
        except OSError as exc:
            raise ImportProblem(location, f"cannot read: {exc.strerror}", "check the path and its permissions") from None
    if len(raw) > MAX_BYTES:
        raise ImportProblem(location, f"document larger than {MAX_BYTES // 2**20} MiB", "")
    try:
        return str(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportProblem(location, f"not UTF-8 text (byte {exc.start})", "save the document as UTF-8") from None


def parse(location: str, text: str) -> Any:
    """JSON data of a JSON or YAML document. YAML goes through specgen's bounded loader (no alias
    bombs, no tags beyond JSON's, dates stay text), so a hostile source is refused at its line."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return _stringify_keys(json.loads(text))
        except RecursionError:
            raise ImportProblem(location, "JSON nested too deeply", "") from None
        except ValueError:
            text = text.replace("\t", " ")  # YAML flow style, perhaps (tabs as whitespace, as `spec.read`)
    try:
        data, _ = yamlload.load_yaml(Path(location), text)
    except SpecError as exc:
        first = exc.diagnostics[0]
        raise ImportProblem(f"{location}:{first.line}", f"not a JSON or YAML document: {first.message}",
                            first.hint or "give an OpenAPI or Swagger document") from None
    return data


def _stringify_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k).lower() if isinstance(k, bool) else str(k): _stringify_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_stringify_keys(v) for v in data]
    return data


def version_of(location: str, data: Any) -> str:
    """``"2.0"``, ``"3.0"`` or ``"3.1"``; anything else is refused."""
    if not isinstance(data, dict):
        raise ImportProblem(location, "not an OpenAPI or Swagger document (the top level is not a mapping)",
                            "give an OpenAPI 3.0/3.1 or Swagger 2.0 document")
    swagger, openapi = data.get("swagger"), data.get("openapi")
    if str(swagger) == "2.0":
        return "2.0"
    if isinstance(openapi, str) and re.match(r"3\.[01]\.", openapi + "."):
        return openapi[:3]
    found = f"openapi: {openapi!r}" if openapi is not None else f"swagger: {swagger!r}" if swagger is not None else "neither `openapi` nor `swagger`"
    raise ImportProblem(location, f"not an OpenAPI 3.0/3.1 or Swagger 2.0 document ({found})",
                        "specgen imports OpenAPI 3.0.x, 3.1.x and Swagger 2.0")
    

def read_source(source: str) -> tuple[dict[str, Any], str]:
    """The source document with every external ``$ref`` inlined, and its version."""
    location = source if is_url(source) else str(Path(source))
    data = parse(location, fetch_text(location))
    version = version_of(location, data)
    _Inliner(location, data, version).run()
    return data, version


def _pointer(fragment: str) -> list[str]:
    fragment = urllib.parse.unquote(fragment)
    if fragment in ("", "/"):
        return []
    if not fragment.startswith("/"):
        raise ValueError(fragment)
    return [p.replace("~1", "/").replace("~0", "~") for p in fragment[1:].split("/")]


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


class _Inliner:
    def __init__(self, root: str, data: dict[str, Any], version: str) -> None:
        self.root, self.data, self.version = root, data, version
        self.url = is_url(root)
        self.folder = posixpath.dirname(root) if self.url else str(Path(root).resolve().parent)
        self.root_key = self._key(root)  # resolved once: every $ref is compared with it
        self.docs: dict[str, Any] = {self.root_key: data}
        self.names: dict[tuple[str, str], str] = {}  # (file, fragment) → local $ref
        self.pending: list[tuple[Any, str]] = []

    def _key(self, location: str) -> str:
        return location if self.url else str(Path(location).resolve())

    def run(self) -> None:
        self.pending.append((self.data, self.root_key))
        while self.pending:
            node, base = self.pending.pop()
            self._rewrite(node, base, ())

    def _rewrite(self, node: Any, base: str, at: tuple[str, ...]) -> None:
        stack: list[tuple[Any, tuple[str, ...]]] = [(node, at)]
        while stack:
            current, where = stack.pop()
            if isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str) and not (ref.startswith("#") and base == self.root_key):
                    if len(where) == 2 and where[0] == "paths" and not ref.startswith("#"):
                        target_file, target = self._load(base, ref)
                        content = json.loads(json.dumps(target))
                        del current["$ref"]
                        current.update(content)
                        self.pending.append((current, target_file))
                        continue
                    current["$ref"] = self._component(base, ref)
                for key, value in current.items():
                    if key not in ("example", "examples", "default", "enum", "const") or isinstance(value, dict):
                        stack.append((value, (*where, str(key))))
            elif isinstance(current, list):
                stack.extend((value, (*where, str(i))) for i, value in enumerate(current))

    def _resolve_location(self, base: str, ref_file: str) -> str:
        where = f"$ref {ref_file!r} in {base}"
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", ref_file):
            if not self.url:
                raise ImportProblem(self.root, f"{where} is not a relative file reference",
                                    "only files next to the source (relative paths inside its folder) are followed")
            target = ref_file
        elif self.url:
            target = urllib.parse.urljoin(base, ref_file)
        else:
            if ref_file.startswith("/") or Path(ref_file).is_absolute():
                raise ImportProblem(self.root, f"{where} is an absolute path",
                                    "only relative references inside the source's folder are followed")
            target = str((Path(base).parent / urllib.parse.unquote(ref_file)).resolve())
            try:
                Path(target).relative_to(self.folder)
            except ValueError:
                raise ImportProblem(self.root, f"{where} leads outside the source's folder {self.folder}",
                                    "copy the referenced file next to the source") from None
            return target
        origin, root = urllib.parse.urlsplit(target), urllib.parse.urlsplit(self.root)
        if (origin.scheme, origin.netloc) != (root.scheme, root.netloc):
            raise ImportProblem(self.root, f"{where} leads to another origin ({origin.scheme}://{origin.netloc})",
                                "only references on the source's own server are followed")
        return urllib.parse.urldefrag(target)[0]

    def _load(self, base: str, ref: str) -> tuple[str, Any]:
        ref_file, _, fragment = ref.partition("#")
        target_file = self._resolve_location(base, ref_file) if ref_file else base
        if target_file not in self.docs:
            self.docs[target_file] = parse(target_file, fetch_text(target_file))
        node = self.docs[target_file]
        try:
            for part in _pointer(fragment):
                node = node[int(part)] if isinstance(node, list) else node[part]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ImportProblem(self.root, f"unresolved $ref {ref!r} in {base}",
                                "fix the reference or the file it points at") from None
        return target_file, node

    def _component(self, base: str, ref: str) -> str:
        target_file, node = self._load(base, ref)
        fragment = ref.partition("#")[2]
        key = (target_file, fragment)
        if key in self.names:
            return self.names[key]
        parts = _pointer(fragment)
        if target_file == self.root_key:
            return "#" + fragment  # back into the root document
        if self.version == "2.0":
            section = parts[0] if len(parts) == 2 and parts[0] in _SECTIONS_20 else "definitions"
            container = self.data.setdefault(section, {})
            prefix = f"#/{section}/"
        else:
            section = parts[1] if len(parts) == 3 and parts[0] == "components" and parts[1] in _SECTIONS_30 else "schemas"
            container = self.data.setdefault("components", {}).setdefault(section, {})
            prefix = f"#/components/{section}/"
        stem = parts[-1] if parts else re.sub(r"\.(ya?ml|json)$", "", posixpath.basename(target_file))
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", stem) or "Schema"
        content = json.loads(json.dumps(node))
        name, n = stem, 1
        while name in container and container[name] != content:
            n += 1
            name = f"{stem}_{n}"
        local = prefix + _escape(name)
        self.names[key] = local
        if name not in container:
            container[name] = content
            self.pending.append((content, target_file))
        return local
