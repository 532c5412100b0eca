"""Swagger 2.0 → OpenAPI 3.0 structure (schemas still in 3.0 form; :mod:`.oas30` finishes the job).

``definitions``/``parameters``/``responses`` become components, ``body`` and ``formData``
parameters become ``requestBody`` (JSON, or form-urlencoded / multipart per ``consumes``),
``produces`` becomes response content types, ``securityDefinitions`` become ``securitySchemes``,
``host`` + ``basePath`` + ``schemes`` become ``servers``, ``x-nullable`` becomes ``nullable`` and
``type: file`` a binary string, ``collectionFormat`` a ``style`` (``tsv``, which has none, as ``csv``).
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_PARAM_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum",
                      "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
                      "uniqueItems", "multipleOf")
_FORM = ("application/x-www-form-urlencoded", "multipart/form-data")


def convert(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"openapi": "3.0.3"}
    for key, value in doc.items():
        if key in ("swagger", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions",
                   "parameters", "responses", "securityDefinitions"):
            if key == "swagger":
                out["info"] = doc.get("info", {})
                servers = _servers(doc)
                if servers:
                    out["servers"] = servers
            continue
        if key == "info":
            continue
        out[key] = _refs(value)
    out.setdefault("info", doc.get("info", {}))
    if "servers" not in out and _servers(doc):
        out["servers"] = _servers(doc)
    consumes = doc.get("consumes") or ["application/json"]
    produces = doc.get("produces") or ["application/json"]
    global_params: dict[str, Any] = doc.get("parameters") or {}
    paths: dict[str, Any] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        new_item: dict[str, Any] = {}
        shared = item.get("parameters") or []
        for key, value in item.items():
            if key in METHODS and isinstance(value, dict):
                new_item[key] = _operation(value, shared, consumes, produces, global_params)
            elif key == "parameters":
                kept = [p for p in value if _location(p, global_params) not in ("body", "formData")]
                if kept:
                    new_item["parameters"] = [_parameter(p) for p in kept]
            else:
                new_item[key] = _refs(value)
        paths[path] = new_item
    out["paths"] = paths
    components: dict[str, Any] = {}
    if doc.get("definitions"):
        components["schemas"] = {name: _schema(s) for name, s in doc["definitions"].items()}
    if global_params:
        params = {n: _parameter(p) for n, p in global_params.items() if _location(p, {}) not in ("body", "formData")}
        if params:
            components["parameters"] = params
        bodies = {n: _body([p], consumes) for n, p in global_params.items() if _location(p, {}) == "body"}
        if bodies:
            components["requestBodies"] = bodies
    if doc.get("responses"):
        components["responses"] = {n: _response(r, produces) for n, r in doc["responses"].items()}
    if doc.get("securityDefinitions"):
        components["securitySchemes"] = {n: _security(s) for n, s in doc["securityDefinitions"].items()}
    if components:
        out["components"] = components
    return out


def _servers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    host, base = doc.get("host"), doc.get("basePath") or ""
    if isinstance(base, str) and base.endswith("/"):
        base = base.rstrip("/")
    if not host:
        return [{"url": base}] if base else []
    schemes = doc.get("schemes") or ["https"]
    return [{"url": f"{scheme}://{host}{base}"} for scheme in schemes]


def _ref(ref: str) -> str:
    for old, new in (("#/definitions/", "#/components/schemas/"), ("#/parameters/", "#/components/parameters/"),
                     ("#/responses/", "#/components/responses/")):
        if ref.startswith(old):
            return new + ref[len(old):]
    return ref


def _refs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _ref(v) if k == "$ref" and isinstance(v, str) else _refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_refs(v) for v in value]
    return value


def _schema(schema: Any) -> Any:
    """A Swagger schema in OpenAPI 3.0 form: refs moved, ``x-nullable`` → ``nullable``, files binary."""
    if isinstance(schema, list):
        return [_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _ref(value)
        elif key == "x-nullable":
            if value is True:
                out["nullable"] = True
        elif key == "type" and value == "file":
            out["type"], out["format"] = "string", "binary"
        elif key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: _schema(s) for name, s in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = _schema(value)
        elif key == "discriminator" and isinstance(value, str):
            out[key] = {"propertyName": value}
        else:
            out[key] = value
    return out


def _location(param: Any, global_params: dict[str, Any]) -> Any:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str) and param["$ref"].startswith("#/parameters/"):
        param = global_params.get(param["$ref"][len("#/parameters/"):], {})
    return param.get("in") if isinstance(param, dict) else None


def _parameter(param: Any) -> Any:
    if not isinstance(param, dict) or "$ref" in param:
        return _refs(param)
    out: dict[str, Any] = {}
    schema: dict[str, Any] = {}
    for key, value in param.items():
        if key in _PARAM_SCHEMA_KEYS:
            schema[key] = value
        elif key == "x-nullable":
            if value is True:
                schema["nullable"] = True
        elif key == "collectionFormat":
            continue
        elif key == "allowEmptyValue" and param.get("in") != "query":
            continue
        else:
            out[key] = value
    if param.get("type") == "array":
        out.update(_collection_style(param))
    out["schema"] = _schema(schema) if schema else {}
    if param.get("in") == "path":
        out["required"] = True
    return out


def _collection_style(param: dict[str, Any]) -> dict[str, Any]:
    """``collectionFormat`` (``csv`` when absent, as Swagger 2.0 says) as ``style`` + ``explode``.
    ``tsv`` has no OpenAPI 3 style: it is sent as ``csv`` is (the items joined by commas)."""
    fmt = param.get("collectionFormat", "csv")
    if fmt == "multi":
        return {"style": "form", "explode": True}
    if fmt == "ssv":
        return {"style": "spaceDelimited", "explode": False}
    if fmt == "pipes":
        return {"style": "pipeDelimited", "explode": False}
    return {"style": "form" if param.get("in") in ("query", "cookie") else "simple", "explode": False}


def _body(params: list[Any], consumes: list[str]) -> dict[str, Any]:
    """``body`` parameter(s) (one) or ``formData`` parameters → a request body."""
    body = [p for p in params if p.get("in") == "body"]
    if body:
        param = body[0]
        media = [m for m in consumes if m not in _FORM] or ["application/json"]
        out: dict[str, Any] = {}
        if param.get("description"):
            out["description"] = param["description"]
        out["content"] = {m: {"schema": _schema(param.get("schema", {}))} for m in media}
        for key, value in param.items():
            if key.startswith("x-"):
                out[key] = value
        if param.get("required"):
            out["required"] = True
        return out
    properties: dict[str, Any] = {}
    required: list[str] = []
    for param in params:
        converted = _parameter(param)
        prop = dict(converted.get("schema") or {})
        if param.get("description"):
            prop = {"description": param["description"], **prop}
        properties[param["name"]] = prop
        if param.get("required"):
            required.append(param["name"])
    has_file = any(p.get("type") == "file" for p in params)
    media = [m for m in consumes if m in _FORM] or ["multipart/form-data" if has_file else "application/x-www-form-urlencoded"]
    if has_file:
        media = ["multipart/form-data"]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"content": {m: {"schema": schema} for m in media}, **({"required": True} if required else {})}


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return _refs(response)
    out: dict[str, Any] = {"description": response.get("description", "")}
    if response.get("headers"):
        out["headers"] = {name: _header(h) for name, h in response["headers"].items()}
    if "schema" in response:
        examples = response.get("examples") or {}
        content: dict[str, Any] = {}
        for media in produces:
            entry: dict[str, Any] = {"schema": _schema(response["schema"])}
            if media in examples:
                entry["example"] = examples[media]
            content[media] = entry
        out["content"] = content
    for key, value in response.items():
        if key.startswith("x-"):
            out[key] = value
    return out


def _header(header: Any) -> Any:
    if not isinstance(header, dict):
        return header
    schema = {k: v for k, v in header.items() if k in _PARAM_SCHEMA_KEYS}
    out = {k: v for k, v in header.items() if k not in _PARAM_SCHEMA_KEYS and k != "collectionFormat"}
    out["schema"] = _schema(schema)
    return out


def _operation(op: dict[str, Any], shared: list[Any], consumes: list[str], produces: list[str],
               global_params: dict[str, Any]) -> dict[str, Any]:
    op_consumes = op.get("consumes") or consumes
    op_produces = op.get("produces") or produces
    own = op.get("parameters") or []
    own_keys = {(_resolved(p, global_params).get("name"), _resolved(p, global_params).get("in")) for p in own}
    # Path-level body/formData parameters apply to each operation (the operation's own win).
    inherited = [p for p in shared if _location(p, global_params) in ("body", "formData")
                 and (_resolved(p, global_params).get("name"), _resolved(p, global_params).get("in")) not in own_keys]
    all_params = [*own, *inherited]
    out: dict[str, Any] = {}
    for key, value in op.items():
        if key in ("consumes", "produces", "schemes"):
            continue
        if key == "parameters":
            kept = [_parameter(p) for p in value if _location(p, global_params) not in ("body", "formData")]
            if kept:
                out["parameters"] = kept
            _add_body(out, all_params, op_consumes, global_params)
        elif key == "responses":
            out["responses"] = {code: _response(r, op_produces) for code, r in value.items()}
        else:
            out[key] = _refs(value)
    if "parameters" not in op:
        _add_body(out, all_params, op_consumes, global_params)
    return out


def _resolved(param: Any, global_params: dict[str, Any]) -> dict[str, Any]:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str) and param["$ref"].startswith("#/parameters/"):
        found = global_params.get(param["$ref"][len("#/parameters/"):], {})
        return found if isinstance(found, dict) else {}
    return param if isinstance(param, dict) else {}


def _add_body(out: dict[str, Any], params: list[Any], consumes: list[str], global_params: dict[str, Any]) -> None:
    body = [p for p in params if _location(p, global_params) == "body"]
    form = [p for p in params if _location(p, global_params) == "formData"]
    if body and isinstance(body[0], dict) and "$ref" in body[0]:
        out["requestBody"] = {"$ref": "#/components/requestBodies/" + body[0]["$ref"][len("#/parameters/"):]}
    elif body:
        out["requestBody"] = _body(body, consumes)
    elif form:
        out["requestBody"] = _body([_resolved(p, global_params) for p in form], consumes)


_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}


def _security(scheme: Any) -> Any:
    if not isinstance(scheme, dict):
        return scheme
    kind = scheme.get("type")
    extra = {k: v for k, v in scheme.items() if k.startswith("x-") or k == "description"}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **extra}
    if kind == "apiKey":
        return {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in"), **extra}
    if kind == "oauth2":
        flow: dict[str, Any] = {}
        for key in ("authorizationUrl", "tokenUrl"):
            if key in scheme:
                flow[key] = scheme[key]
        flow["scopes"] = scheme.get("scopes") or {}
        name = _FLOWS.get(str(scheme.get("flow")), "implicit")
        return {"type": "oauth2", "flows": {name: flow}, **extra}
    return scheme
