"""A plain, self-contained HTML table of a comparison (used until the report stage renders one).

Metric x arm: each arm's mean with its 95% interval, and the paired difference from the baseline
with its interval. All text is escaped; there is no script and nothing to fetch.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

__all__ = ["render_comparison_table"]

_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right;vertical-align:top}th{background:#f4f4f4}
td.m,th.m{text-align:left}.i{color:#666;font-size:.85em}.w{color:#a00}.b{color:#060}"""


def _f(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    return f"{x:.1f}" if a >= 10 else f"{x:.3g}"


def _cell(v: dict[str, float], cls: str = "") -> str:
    return (f'<td class="{cls}">{_f(v["mean"])}<br><span class="i">[{_f(v["lo"])}, {_f(v["hi"])}]'
            f' n={v["n"]}</span></td>')


def _diff_cls(d: dict[str, float], worse: bool | None) -> str:
    lo, hi = d["lo"], d["hi"]
    if worse is None or lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    if lo > 0 or hi < 0:
        return "w" if (lo > 0) == worse else "b"
    return ""


def render_comparison_table(summary: dict[str, Any]) -> str:
    """Return a self-contained HTML page for a comparison summary (see ``Comparison.summary``)."""
    from scrutiny.metrics import METRICS

    prov = summary["provenance"]
    arms, base = prov["arms"], prov["baseline_arm"]
    e = html.escape
    metrics = [m for m, v in summary["arms"][base]["metrics"].items() if "mean" in v]
    metrics.sort(key=lambda m: list(METRICS).index(m) if m in METRICS else len(METRICS))
    head = "".join(f"<th>{e(a)}</th>" for a in arms)
    rows = []
    for m in metrics:
        info = METRICS.get(m)
        label = e(info.label if info else m)
        cells = "".join(_cell(summary["arms"][a]["metrics"][m]) for a in arms)
        rows.append(f'<tr><td class="m">{label}</td>{cells}</tr>')
        diffs = "".join(
            "<td></td>" if a == base else _cell(summary["differences"][a][m], _diff_cls(
                summary["differences"][a][m], info.higher_is_worse if info else None))
            for a in arms
        )
        rows.append(f'<tr><td class="m i">&nbsp;&nbsp;difference from {e(base)}</td>{diffs}</tr>')
    arm_rows = "".join(
        f'<tr><td class="m">{e(a)}</td><td class="m">{e(summary["arms"][a]["description"])}</td>'
        f'<td class="m"><code>{e(", ".join(f"{k} = {json.dumps(v)}" for k, v in summary["arms"][a]["overrides"].items()) or "none")}'
        f'</code></td><td class="m"><code>{e(summary["arms"][a]["config_hash"])}</code></td></tr>'
        for a in arms
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Scrutiny: safeguards compared</title>
<style>{_CSS}</style></head><body>
<h1>Safeguards compared: {e(str(prov.get("scenario_name", "")))}</h1>
<p>{prov["replicates"]} replicates per arm, seed {prov["seed"]}, configuration {e(prov["config_hash"])},
Scrutiny {e(prov["scrutiny_version"])}. Arms of one replicate share common random numbers; each difference
is paired by replicate (arm minus {e(base)}). Brackets give 95% confidence intervals of the mean;
<span class="w">red</span> marks a difference that is worse and <span class="b">green</span> one that is
better, where the interval excludes zero.</p>
<h2>Arms</h2>
<table><tr><th class="m">arm</th><th class="m">safeguard</th><th class="m">overrides</th><th class="m">config hash</th></tr>
{arm_rows}</table>
<h2>Metrics</h2>
<table><tr><th class="m">metric</th>{head}</tr>
{"".join(rows)}</table>
</body></html>
"""
