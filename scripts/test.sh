#!/bin/sh
# Install Scrutiny with its test dependencies, then run the whole test suite.
# Usage: sh scripts/test.sh [pytest arguments]
set -eu
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
exec python -m pytest "$@"
