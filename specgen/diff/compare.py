"""Two client surfaces → the changes between them, each marked breaking or compatible (see :mod:`.rules`).

Things are matched by the names the caller uses (``runs.get``, ``Run.status``). A method or class
whose name changed is matched by what stays the same, and reported as *renamed* only when that is
certain: the same endpoint (method and path), or the same schema. Otherwise it is reported removed
and added, and when the two look alike (same endpoint shape, same fields, same location and type)
the report says so with a question (``renamed to run_id?``), never deciding silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..spec import Pointer
from . import rules
from .surface import Argument, Direction, Field, Method, ModelClass, Surface, members

REQUEST: frozenset[Direction] = frozenset(("request",))
RESPONSE: frozenset[Direction] = frozenset(("response",))


@dataclass(frozen=True, order=True)
class Change:
    """One change, in client terms, with where it is in the new spec (or, for something removed,
    the closest place that is still there) and where it was in the old one."""

    breaking: bool
    kind: str  # a stable identifier, e.g. "method-removed", "field-type-changed"
    subject: str  # the client name it is about: runs.cancel, GetRunResponse.timeout, Status
    message: str
    line: int
    old_line: int
    note: str = ""

    @property
    def severity(self) -> str:
        return "breaking" if self.breaking else "compatible"


def compare(old: Surface, new: Surface) -> list[Change]:
    """Every change from ``old`` to ``new``: breaking ones first, then by their line in ``new``."""
    return sorted(set(_Comparison(old, new).changes()), key=lambda c: (not c.breaking, c.line, c.message))


class _Comparison:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.old, self.new = old, new
        self.class_renames: dict[str, str] = {}

    def change(self, breaking: bool, kind: str, subject: str, message: str, pointer: Pointer,
               old_pointer: Pointer | None = None, note: str = "") -> Change:
        return Change(breaking, kind, subject, message, self.new.spec.line(pointer),
                      self.old.spec.line(old_pointer or pointer), note)

    def changes(self) -> Iterator[Change]:
        yield from self.package()
        yield from self.auth()
        yield from self.servers()
        yield from self.classes()  # first: the renames it finds are applied to the methods' types
        yield from self.methods()

    # -- the package and its client ---------------------------------------------------------------

    def package(self) -> Iterator[Change]:
        old, new = self.old, self.new
        info: Pointer = ("info",)
        if old.package != new.package:
            yield self.change(True, "package-renamed", new.package, f"package renamed: {old.package} -> {new.package}",
                              (*info, "x-specgen-package"), note=f"`import {old.package}` becomes `import {new.package}`")
        if old.client_class != new.client_class:
            yield self.change(True, "client-renamed", new.client_class,
                              f"client class renamed: {old.client_class} -> {new.client_class} "
                              f"(and Async{old.client_class} -> Async{new.client_class})", (*info, "x-specgen-client"))
        if not old.credentials_required and new.credentials_required:
            yield self.change(True, "credentials-required", new.client_class,
                              f"{new.client_class} now needs credentials: building it without any raises "
                              "MissingCredentialsError", ("security",))
        elif old.credentials_required and not new.credentials_required:
            yield self.change(False, "credentials-optional", new.client_class,
                              f"{new.client_class} can now be built without credentials", ("security",))

    def auth(self) -> Iterator[Change]:
        old, new = self.old.credentials, self.new.credentials
        client = self.new.client_class
        for name in sorted(old.keys() - new.keys()):
            yield self.change(True, "credential-removed", f"{client}({name}=)",
                              f"{client}: argument {name} removed (security scheme {old[name].scheme})",
                              old[name].pointer)
        for name in sorted(new.keys() - old.keys()):
            yield self.change(False, "credential-added", f"{client}({name}=)",
                              f"{client}: new argument {name} (security scheme {new[name].scheme}, "
                              f"read from {new[name].env})", new[name].pointer)
        for name in sorted(old.keys() & new.keys()):
            before, after = old[name], new[name]
            if before.env != after.env:
                yield self.change(True, "credential-env-changed", f"{client}({name}=)",
                                  f"{client}: {name} is read from {after.env}, no longer from {before.env}",
                                  (*after.pointer, "x-specgen-env"))
            if before.sent_as != after.sent_as:
                yield self.change(False, "credential-sent-differently", f"{client}({name}=)",
                                  f"{client}: {name} is sent as {after.sent_as}, no longer as {before.sent_as}",
                                  after.pointer)

    def servers(self) -> Iterator[Change]:
        old, new = self.old, self.new
        if old.base_url != new.base_url:
            yield self.change(False, "base-url-changed", f"{new.client_class}(base_url=)",
                              f"default base_url: {old.base_url or 'none'} -> {new.base_url or 'none'}",
                              ("servers", "0", "url"), note="pass base_url= to keep calling the old server")
        for url in sorted(set(old.servers) - set(new.servers) - {old.base_url}):
            yield self.change(False, "server-removed", "SERVERS", f"server {url} no longer listed", ("servers",))
        for url in sorted(set(new.servers) - set(old.servers) - {new.base_url}):
            yield self.change(False, "server-added", "SERVERS", f"server {url} listed", ("servers",))

    # -- methods ------------------------------------------------------------------------------------

    def methods(self) -> Iterator[Change]:
        old, new = self.old.methods, self.new.methods
        gone = {key: old[key] for key in old.keys() - new.keys()}
        came = {key: new[key] for key in new.keys() - old.keys()}
        for key in sorted(gone):
            method = gone[key]
            twin = next((m for m in came.values() if m.endpoint == method.endpoint), None)
            if twin is not None:
                del came[twin.key]
                yield self.change(True, "method-renamed", method.key, f"{method.key} renamed to {twin.key}",
                                  twin.pointer, method.pointer, note=f"same endpoint, {twin.endpoint}")
                yield from self.method(method, twin)
                continue
            yield self.change(True, "method-removed", key, f"{key} removed", method.pointer,
                              note=f"was {method.endpoint}")
            if method.page_item is not None:
                yield self.change(True, "method-removed", self.iterator(method), f"{self.iterator(method)} removed",
                                  method.pointer)
        for key in sorted(came):
            method = came[key]
            yield self.change(False, "method-added", key, f"{key} added", method.pointer, note=method.endpoint)
        for key in sorted(old.keys() & new.keys()):
            yield from self.method(old[key], new[key])

    @staticmethod
    def iterator(method: Method) -> str:
        return f"{method.resource}.iter_{method.name}"

    def method(self, old: Method, new: Method) -> Iterator[Change]:
        key, at = new.key, new.pointer
        if old.endpoint != new.endpoint:
            yield self.change(False, "endpoint-changed", key, f"{key} now calls {new.endpoint} (was {old.endpoint})",
                              at, old.pointer)
        yield from self.arguments(old, new)
        if self.renamed(old.response) != new.response:
            yield self.change(rules.type_change_breaks(self.renamed(old.response), new.response, RESPONSE),
                              "response-type-changed", key, f"{key} returns {new.response} (was {old.response})",
                              (*at, "responses"), (*old.pointer, "responses"))
        iterator = self.iterator(new)
        if old.page_item is None and new.page_item is not None:
            yield self.change(False, "method-added", iterator, f"{iterator} added (pages through {key})",
                              (*at, "x-specgen-pagination"))
        elif old.page_item is not None and new.page_item is None:
            yield self.change(True, "method-removed", self.iterator(old), f"{self.iterator(old)} removed",
                              at, (*old.pointer, "x-specgen-pagination"), note=f"{key} no longer pages")
        elif old.page_item is not None and new.page_item is not None and self.renamed(old.page_item) != new.page_item:
            yield self.change(rules.type_change_breaks(self.renamed(old.page_item), new.page_item, RESPONSE),
                              "page-item-changed", iterator,
                              f"{iterator} yields {new.page_item} (was {old.page_item})", (*at, "x-specgen-pagination"))
        for status in sorted(old.errors.keys() | new.errors.keys()):
            before, after = old.errors.get(status), new.errors.get(status)
            if before is not None and self.renamed(before) == after:
                continue
            described = f"{after}" if after else "no longer parsed into a class"
            yield self.change(False, "error-body-changed", key,
                              f"{key}: error {status} body is {described}" + (f" (was {before})" if before else ""),
                              (*at, "responses", status), (*old.pointer, "responses", status))
        if not old.needs_credentials and new.needs_credentials:
            yield self.change(True, "method-needs-credentials", key,
                              f"{key} now needs credentials (raises MissingCredentialsError without them)",
                              (*at, "security"))
        elif old.needs_credentials and not new.needs_credentials:
            yield self.change(False, "method-anonymous", key, f"{key} can now be called without credentials",
                              (*at, "security"))
        if new.deprecated and not old.deprecated:
            yield self.change(False, "method-deprecated", key, f"{key} is deprecated", (*at, "deprecated"))
        elif old.deprecated and not new.deprecated:
            yield self.change(False, "method-undeprecated", key, f"{key} is no longer deprecated", at)
        if old.retry_safe != new.retry_safe:
            now = "now retried" if new.retry_safe else "no longer retried"
            yield self.change(False, "retry-changed", key, f"{key} is {now} on connection errors and 429/5xx",
                              (*at, "x-specgen-retry-safe"))

    def arguments(self, old: Method, new: Method) -> Iterator[Change]:
        key = new.key
        gone = {n: a for n, a in old.arguments.items() if n not in new.arguments}
        came = {n: a for n, a in new.arguments.items() if n not in old.arguments}
        for name, argument in sorted(gone.items()):
            twins = sorted(a.name for a in came.values() if self.alike(argument, a))
            yield self.change(True, "argument-removed", f"{key}({name}=)", f"{key}: {self.what(argument)} {name} removed",
                              new.pointer, argument.pointer,
                              note=f"renamed to {' or '.join(twins)}?" if twins else "")
        for name, argument in sorted(came.items()):
            twins = sorted(a.name for a in gone.values() if self.alike(a, argument))
            required = "required" if argument.required else "optional"
            yield self.change(rules.added_breaks(argument.required, REQUEST), "argument-added", f"{key}({name}=)",
                              f"{key}: new {required} {self.what(argument)} {name}", argument.pointer,
                              note=f"renamed from {' or '.join(twins)}?" if twins else "")
        for name in sorted(old.arguments.keys() & new.arguments.keys()):
            before, after = old.arguments[name], new.arguments[name]
            subject, at = f"{key}({name}=)", after.pointer
            if before.required != after.required:
                state = "now required" if after.required else "now optional"
                yield self.change(rules.required_change_breaks(after.required, REQUEST), "argument-required"
                                  if after.required else "argument-optional", subject,
                                  f"{key}: {self.what(after)} {name} is {state}", at, before.pointer)
            if self.renamed(before.type) != after.type:
                yield self.change(rules.type_change_breaks(self.renamed(before.type), after.type, REQUEST),
                                  "argument-type-changed", subject, f"{key}: {name}: {before.type} -> {after.type}",
                                  at, before.pointer)
            if before.location != after.location and "body" not in (before.location, after.location):
                yield self.change(False, "argument-moved", subject,
                                  f"{key}: {name} is sent in the {after.location} (was the {before.location})",
                                  at, before.pointer)
            elif before.wire_name != after.wire_name:
                yield self.change(False, "argument-wire-name-changed", subject,
                                  f"{key}: {name} is sent as {after.wire_name!r} (was {before.wire_name!r})",
                                  at, before.pointer)

    @staticmethod
    def what(argument: Argument) -> str:
        return "body" if argument.location == "body" else "parameter"

    def alike(self, old: Argument, new: Argument) -> bool:
        return old.location == new.location and self.renamed(old.type) == new.type

    # -- classes ------------------------------------------------------------------------------------

    def renamed(self, annotation: str) -> str:
        """``annotation`` of the old spec with the classes renamed since written by their new names."""
        if not self.class_renames:
            return annotation
        return re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b", lambda m: self.class_renames.get(m.group(0), m.group(0)),
                      annotation)

    def classes(self) -> Iterator[Change]:
        old, new = self.old.classes, self.new.classes
        by_origin = {cls.origin: cls for cls in new.values()}
        pairs: list[tuple[ModelClass, ModelClass]] = []
        gone: list[ModelClass] = []
        for name in sorted(old):
            if name in new:
                pairs.append((old[name], new[name]))
                continue
            twin = by_origin.get(old[name].origin)
            if twin is not None and twin.name not in old:
                self.class_renames[name] = twin.name
                pairs.append((old[name], twin))
                yield self.change(True, "class-renamed", name, f"{name} renamed to {twin.name}", twin.pointer,
                                  old[name].pointer, note=f"same schema, at {_shown(twin.origin)}")
            else:
                gone.append(old[name])
        renamed_to = set(self.class_renames.values())
        came = [new[n] for n in sorted(new) if n not in old and n not in renamed_to]
        for cls in gone:
            twins = sorted(c.name for c in came if self.same_shape(cls, c))
            yield self.change(True, "class-removed", cls.name, f"{cls.name} removed", cls.pointer,
                              note=f"renamed to {' or '.join(twins)}?" if twins else "")
        for cls in came:
            yield self.change(False, "class-added", cls.name, f"{cls.name} added", cls.pointer)
        for before, after in pairs:
            yield from self.model_class(before, after)

    def same_shape(self, old: ModelClass, new: ModelClass) -> bool:
        if old.kind != new.kind:
            return False
        if old.kind == "enum":
            return old.values == new.values
        return {(f.name, self.renamed(f.type), f.required) for f, _ in self.old.fields(old.name).values()} == {
            (f.name, f.type, f.required) for f, _ in self.new.fields(new.name).values()}

    def directions(self, old: ModelClass, new: ModelClass) -> frozenset[Direction]:
        return self.old.directions.get(old.name, frozenset()) | self.new.directions.get(new.name, frozenset())

    def model_class(self, old: ModelClass, new: ModelClass) -> Iterator[Change]:
        name = new.name
        if old.kind != new.kind:
            kinds = {"model": "a model", "enum": "an enum", "root": "a root model"}
            yield self.change(True, "class-kind-changed", name, f"{name} is {kinds[new.kind]} (was {kinds[old.kind]})",
                              new.pointer, old.pointer)
            return
        directions = self.directions(old, new)
        if new.kind == "enum":
            yield from self.enum(old, new, directions)
        else:
            yield from self.fields(old, new, directions)

    def enum(self, old: ModelClass, new: ModelClass, directions: frozenset[Direction]) -> Iterator[Change]:
        name = new.name
        sent = "request" in directions
        for value in sorted(old.values.keys() - new.values.keys()):
            note = ("" if sent else
                    f"compatible for readers, as enums are open; {name}.{old.values[value]} no longer exists")
            yield self.change(rules.enum_value_removed_breaks(directions), "enum-value-removed", f"{name}.{old.values[value]}",
                              f"{name}: value {value} removed", new.pointer, old.value_pointers[value], note=note)
        for value in sorted(new.values.keys() - old.values.keys()):
            yield self.change(False, "enum-value-added", f"{name}.{new.values[value]}", f"{name}: value {value} added",
                              new.value_pointers[value])
        for value in sorted(old.values.keys() & new.values.keys()):
            if old.values[value] != new.values[value]:
                yield self.change(True, "enum-member-renamed", f"{name}.{old.values[value]}",
                                  f"{name}.{old.values[value]} renamed to {name}.{new.values[value]} (value {value})",
                                  new.value_pointers[value], old.value_pointers[value])

    def fields(self, old: ModelClass, new: ModelClass, directions: frozenset[Direction]) -> Iterator[Change]:
        name = new.name
        before_all, after_all = self.old.fields(old.name), self.new.fields(new.name)
        if new.kind == "root":
            root_before, root_after = before_all.get("root"), after_all.get("root")
            if root_before and root_after and self.renamed(root_before[0].type) != root_after[0].type:
                old_type, new_type = root_before[0].type, root_after[0].type
                yield self.change(rules.type_change_breaks(self.renamed(old_type), new_type, directions),
                                  "root-type-changed", name, f"{name}: {old_type} -> {new_type}",
                                  new.pointer, old.pointer)
            return
        # A field is reported on the class that declares it, so a base's change is reported once.
        gone = {f: before_all[f][0] for f in before_all.keys() - after_all.keys() if before_all[f][1] == old.name}
        came = {f: after_all[f][0] for f in after_all.keys() - before_all.keys() if after_all[f][1] == new.name}
        for field_name, gone_field in sorted(gone.items()):
            twins = sorted(f.name for f in came.values() if self.field_alike(gone_field, f))
            yield self.change(True, "field-removed", f"{name}.{field_name}", f"{name}.{field_name} removed",
                              new.pointer, gone_field.pointer, note=f"renamed to {' or '.join(twins)}?" if twins else "")
        for field_name, came_field in sorted(came.items()):
            twins = sorted(f.name for f in gone.values() if self.field_alike(f, came_field))
            required = "required" if came_field.required else "optional"
            yield self.change(rules.added_breaks(came_field.required, directions), "field-added",
                              f"{name}.{field_name}", f"{name}.{field_name}: new {required} field", came_field.pointer,
                              note=f"renamed from {' or '.join(twins)}?" if twins else "")
        for field_name in sorted(before_all.keys() & after_all.keys()):
            (before, old_owner), (after, new_owner) = before_all[field_name], after_all[field_name]
            if old_owner == old.name or new_owner == new.name:
                yield from self.field(name, before, after, directions)

    def field(self, owner: str, before: Field, after: Field, directions: frozenset[Direction]) -> Iterator[Change]:
        subject = f"{owner}.{after.name}"
        if before.required != after.required:
            state = "no longer optional" if after.required else "now optional"
            yield self.change(rules.required_change_breaks(after.required, directions),
                              "field-required" if after.required else "field-optional", subject,
                              f"{subject}: {state}", after.pointer, before.pointer,
                              note="" if after.required else "it may be None when the server leaves it out")
        old_type = self.renamed(before.type)
        # An optional field's type includes None (its default): when only that None comes or goes
        # with the field's optionality, the line above says it all.
        if old_type != after.type and (before.required == after.required
                                       or set(members(old_type)) - {"None"} != set(members(after.type)) - {"None"}):
            shown = (before.type, after.type)
            if not (before.required or after.required):  # both `X | None = None`: the None goes without saying
                shown = (_without_none(before.type), _without_none(after.type))
            yield self.change(rules.type_change_breaks(old_type, after.type, directions),
                              "field-type-changed", subject, f"{subject}: {shown[0]} -> {shown[1]}",
                              after.pointer, before.pointer)
        if before.wire_name != after.wire_name:
            yield self.change(False, "field-wire-name-changed", subject,
                              f"{subject} is sent and read as {after.wire_name!r} (was {before.wire_name!r})",
                              after.pointer, before.pointer)

    def field_alike(self, old: Field, new: Field) -> bool:
        return self.renamed(old.type) == new.type and old.required == new.required


def _without_none(annotation: str) -> str:
    return " | ".join(m for m in members(annotation) if m != "None") or "None"


def _shown(pointer: Pointer) -> str:
    """A JSON pointer as a reader finds it in the spec (``paths /runs/{id} get responses 200 ...``)."""
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in ("#", *pointer))
