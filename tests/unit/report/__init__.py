"""Tests of the report stage (a package, so its conftest does not shadow tests/conftest.py)."""
