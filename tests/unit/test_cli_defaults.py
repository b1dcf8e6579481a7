"""Every command's --replicates defaults to the API's DEFAULT_REPLICATES, and says so."""

import json
import subprocess
import sys

import pytest

from scrutiny.cli import build_parser
from scrutiny.experiments import DEFAULT_REPLICATES


def _replicates_action(command: str):
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return next(a for a in sub.choices[command]._actions if a.dest == "replicates")


@pytest.mark.parametrize("command", ["run", "compare", "demo", "sweep", "sensitivity"])
def test_replicates_default_is_the_apis(command):
    action = _replicates_action(command)
    assert action.default is None, "the command passes nothing, so the API's default applies"
    assert f"default {DEFAULT_REPLICATES}, as for every command" in action.help, action.help


def test_run_without_replicates_runs_the_default(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "scrutiny", "run", "--out", str(tmp_path), "--quiet",
                           "--set", "world.n_people=3000", "--set", "n_days=3"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "summary.json").read_text())["provenance"]["replicates"] == DEFAULT_REPLICATES
