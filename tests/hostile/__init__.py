"""Hostile-spec harness for issue 6 (untrusted specs): base spec, cases, runner. See tests/test_hostile_specs.py."""
