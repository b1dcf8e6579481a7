"""A run on imported tracts: the command line prints the tracts' population, the first report draws them."""

import re
import subprocess
import sys
from pathlib import Path

TOY = Path(__file__).parents[1] / "data" / "toy-geography"


def test_run_on_imported_tracts_prints_their_population_and_draws_their_polygons(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "scrutiny", "run", "--out", str(out), "--replicates", "1", "--set", "n_days=3",
         "--set", f"world.geography={TOY}"], capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "on toy-geography: 1 replicate(s) of 12,500 people x" in proc.stderr, (
        f"the tracts' total, not world.n_people: {proc.stderr[-300:]}")
    html = (out / "report.html").read_text()
    n_tracts = 3
    assert html.count("<polygon") >= 3 * n_tracts, "the first report draws the polygons"
    assert "census tracts of toy-geography" in html, "the report names the geography"
    assert "ACS does not split non-citizens by legal status" in html and "four race/ethnicity groups" in html
    assert re.search(r"12,500 people", html), "the report prints the tracts' population"
