"""specgen's own writing of imports (:mod:`specgen.imports`) is isort's and black's, byte for byte."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specgen import imports, output

#: Modules of every section, relative ones at every depth, names isort's natural sort orders by
#: number (``_a2``, ``_a10``) and by case and underscores.
MODULES = ["__future__", "typing", "datetime", "collections.abc", "enum", "builtins", "importlib", "pydantic",
           "httpx", ".", "..", "._x", "._a2", "._a10", "._a_b", "._ab", "._A", "..models", ".._base_model",
           "._runtime", "..resources.runs", "._" + "long_module_name" * 6]
NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True).filter(lambda n: n.isidentifier()) | \
    st.sampled_from(["A", "AB", "Ab", "aB", "ab", "_B", "B2", "b10", "b9", "TYPE_CHECKING", "X" * 110, "Model"])
IMPORTS = st.dictionaries(st.sampled_from(MODULES), st.none() | st.lists(NAMES, min_size=1, max_size=12),
                          min_size=1, max_size=8)


def _written(imports_: dict[str, list[str] | None], indent: int, seed: int) -> str:
    """The imports as someone might write them: one statement each, in a shuffled order."""
    lines = [f"import {module}" if names is None else f"from {module} import {', '.join(names)}"
             for module, names in imports_.items() if names is not None or not module.startswith(".")]
    random.Random(seed).shuffle(lines)
    if indent:
        return "if TYPE_CHECKING:\n" + "".join(f"    {line}\n" for line in lines)
    return "".join(f"{line}\n" for line in lines)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(IMPORTS, st.sampled_from([0, 4]), st.integers(0, 1000))
def test_block_is_isort_and_black(imports_: dict[str, list[str] | None], indent: int, seed: int) -> None:
    imports_ = {m: n for m, n in imports_.items() if n is not None or not m.startswith(".")}
    if not imports_ or "__future__" in imports_ and imports_["__future__"] is None:
        return
    written = imports.block(imports_, indent)
    whole = "if TYPE_CHECKING:\n" + written if indent else written
    assert output.format_source(whole) == whole  # what layout relies on: isort and black leave it as it is
    assert imports.settled(whole, indent)
    # isort sorts names without case and keeps those equal but for case in the order given
    if all(len({name.lower() for name in set(names or ())}) == len(set(names or ())) for names in imports_.values()):
        assert whole == output.format_source(_written(imports_, indent, seed))


@pytest.mark.parametrize("width", range(95, 106))
@pytest.mark.parametrize("indent", [0, 4])
def test_a_line_wraps_exactly_where_isort_wraps_it(width: int, indent: int) -> None:
    for last in ("", "Zz"):
        tail = f", {last}" if last else ""
        first = "A" + "b" * (width - len(" " * indent + "from ._m import ") - 1 - len(tail))
        names = [first, last] if last else [first]
        line = f"from ._m import {', '.join(names)}\n"
        got = imports.block({"._m": names}, indent)
        if indent:
            assert "if TYPE_CHECKING:\n" + got == output.format_source(f"if TYPE_CHECKING:\n    {line}")
        else:
            assert got == output.format_source(line)
        assert (width <= 100) == (got.count("\n") == 1)


def test_an_alias_stands_alone() -> None:
    written = "from datetime import date as date_aliased\nfrom typing import Any\n"
    assert imports.block({"datetime": ["date as date_aliased"], "typing": ["Any"]}) == output.format_source(written)
    with pytest.raises(ValueError):
        imports.block({"datetime": ["date as date_aliased", "datetime"]})


@pytest.mark.parametrize("head", [
    '"""Doc."""\n\nfrom typing import Any\nfrom pydantic import Field\n',          # sections not apart
    '"""Doc."""\nfrom typing import Any\n',                                     # no blank line after the docstring
    '"""Doc."""\n\n\nfrom typing import Any\n',                                 # two
    "from typing import Any  # why\n",                                          # a comment
    "from typing import Literal, Any\n",                                        # names out of order
    "from acme import thing\n",                                                 # a module isort may call first party
    "from typing import *\n",
    "import os, sys\n",
    "from .x import (A)\n",
    "x = 1\n",
])
def test_what_is_not_in_isort_and_blacks_form_is_not_settled(head: str) -> None:
    assert not imports.settled(head)


@pytest.mark.parametrize("head", [
    '"""Doc."""\n\nfrom __future__ import annotations\n\nfrom typing import Any\n\nfrom pydantic import Field\n\n'
    "from .._base_model import Model\nfrom ._b import B\n",
    "from __future__ import annotations\n\nimport builtins\nfrom collections.abc import Mapping\n",
])
def test_heads_in_isort_and_blacks_form_are_settled(head: str) -> None:
    assert imports.settled(head)
    assert output.format_source(head) == head
