"""specgen: OpenAPI 3.1 specs in, typed vendorable Python clients out.

The data flows one way: ``spec`` (load, validate, positions) → ``ir`` (Python names, types, imports)
→ ``models`` + ``render`` (text) → ``output`` (format, write, compare). ``cli`` only wires them.
"""

__version__ = "0.1.0"
