#!/bin/sh
# Install Scrutiny with its test dependencies, then run the whole test suite.
# Usage: sh scripts/test.sh [pytest arguments]   (runs on two worker processes; add -n 0 for one)
set -eu
cd "$(dirname "$0")/.."

# The report's browser tests drive Debian's chromium. Install it when it is missing and we can
# (root with apt-get); elsewhere those tests are skipped and say why.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test.sh: installing chromium for the report's browser tests (apt-get)" >&2
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                --no-install-recommends chromium; } >/dev/null 2>&1; then
            echo "scripts/test.sh: could not install chromium; the browser tests will be skipped" >&2
        fi
    else
        echo "scripts/test.sh: chromium not found and not installable here; the browser tests will be skipped" >&2
    fi
fi

python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# Two worker processes (the project's reference machine has two cores); results do not depend on it.
exec python -m pytest -n 2 "$@"
