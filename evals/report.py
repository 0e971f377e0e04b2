"""Write an eval run as report.json, report.md and scores.svg, compared with the previous run there."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from evals.harness import EvalRun
from evals.metrics import QuestionResult

HEADLINE = (
    "correct",
    "answer_correct",
    "hit@1",
    "hit@3",
    "mrr",
    "citation_precision",
    "citation_recall",
    "language_match",
    "abstention_precision",
    "abstention_recall",
    "false_abstention",
    "wrong_verified",
    "mixed_script",
)
CHART_METRICS = (("correct", "#2b6cb0"), ("hit@3", "#38a169"), ("citation_precision", "#dd6b20"))


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def chart_svg(metrics: dict[str, dict[str, Any]]) -> str:
    """A grouped bar chart of correctness, hit@3 and citation precision by group."""
    groups = list(metrics)
    bar, gap, height, top, left = 14, 18, 180, 30, 40
    width = left + len(groups) * (len(CHART_METRICS) * bar + gap) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + top + 70}" '
        'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for tick in (0, 0.5, 1.0):
        y = top + height * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{tick:.1f}</text>')
    for i, group in enumerate(groups):
        x0 = left + 10 + i * (len(CHART_METRICS) * bar + gap)
        for j, (metric, color) in enumerate(CHART_METRICS):
            value = metrics[group].get(metric) or 0.0
            h = height * value
            parts.append(
                f'<rect x="{x0 + j * bar}" y="{top + height - h}" width="{bar - 2}" height="{h}" '
                f'fill="{color}"><title>{escape(group)} {metric} {value:.2f}</title></rect>'
            )
        label_x = x0 + len(CHART_METRICS) * bar / 2
        parts.append(
            f'<text x="{label_x}" y="{top + height + 14}" text-anchor="end" '
            f'transform="rotate(-35 {label_x} {top + height + 14})">{escape(group)}</text>'
        )
    for j, (metric, color) in enumerate(CHART_METRICS):
        parts.append(
            f'<rect x="{left + j * 130}" y="8" width="10" height="10" fill="{color}"/>'
            f'<text x="{left + j * 130 + 14}" y="17">{metric}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def compare(current: EvalRun, previous: EvalRun | None) -> list[str]:
    """Markdown lines on what got better or worse since the previous run."""
    if previous is None:
        return ["No previous run in this folder to compare with."]
    lines = [
        f"Compared with the previous run ({previous.info.get('date')}, {previous.info.get('generator')}):",
        "",
        "| metric (overall) | before | now | change |",
        "|---|---:|---:|---:|",
    ]
    before, now = previous.metrics.get("overall", {}), current.metrics.get("overall", {})
    for m in HEADLINE:
        b, n = before.get(m), now.get(m)
        delta = f"{n - b:+.2f}" if isinstance(b, int | float) and isinstance(n, int | float) else "–"
        lines.append(f"| {m} | {_fmt(b)} | {_fmt(n)} | {delta} |")
    old = {r.id: r.correct for r in previous.results}
    better = [r.id for r in current.results if r.correct and old.get(r.id) is False]
    worse = [r.id for r in current.results if not r.correct and old.get(r.id) is True]
    lines += [
        "",
        f"Got better ({len(better)}): {', '.join(better) or 'none'}",
        "",
        f"Got worse ({len(worse)}): {', '.join(worse) or 'none'}",
    ]
    return lines


def markdown(run: EvalRun, comparison: list[str], failures: list[str]) -> str:
    """The human-readable report: scores by group, chart, comparison, then questions, failures first."""
    info = run.info
    lines = [
        f"# gisa eval: {info['factset']}",
        "",
        f"{info['date']} · {info['machine']} · generator {info['generator']} · embedder {info['embedder']} · "
        f"{info['questions']} questions in {info['seconds']} s",
        "",
    ]
    if failures:
        lines += ["**Below thresholds:** " + "; ".join(failures), ""]
    lines += [
        "| group | n | " + " | ".join(HEADLINE) + " | first token p50 s | total p50 s |",
        "|---|---:|" + "---:|" * (len(HEADLINE) + 2),
    ]
    for group, m in run.metrics.items():
        cells = " | ".join(_fmt(m.get(k)) for k in HEADLINE)
        lines.append(
            f"| {group} | {m['n']} | {cells} | {_fmt(m.get('first_token_p50_s'))} | {_fmt(m.get('total_p50_s'))} |"
        )
    lines += [
        "",
        "![scores by group](scores.svg)",
        "",
        "## Changes",
        "",
        *comparison,
        "",
        "## Failure classes",
        "",
        "| class | questions |",
        "|---|---|",
        *(f"| {name} ({len(ids)}) | {', '.join(ids)} |" for name, ids in failure_classes(run.results).items()),
        "",
        "## Questions (failures first)",
        "",
        "| | id | lang | kind | question | answer | evidence rank | citations (precise) | total s |",
        "|---|---|---|---|---|---|---:|---:|---:|",
    ]
    for r in sorted(run.results, key=lambda r: (r.correct, r.id)):
        mark = "✅" if r.correct else "❌"
        answer = (r.error or r.answer).replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {mark} | {r.id} | {r.language} | {r.kind} | {r.question.replace('|', '/')} | "
            f"{answer[:160]}{_abstained(r)} | {r.evidence_rank or '–'} | "
            f"{r.citations} ({r.precise_citations}) | {r.total_s:.1f} |"
        )
    return "\n".join(lines) + "\n"


def _abstained(result: QuestionResult) -> str:
    if not result.abstained:
        return ""
    return f" (abstained: {result.flaw})" if result.flaw else " (abstained)"


def failure_classes(results: Sequence[QuestionResult]) -> dict[str, list[str]]:
    """The questions answered wrongly, by what went wrong: refused (and why), wrong shown, wrong ✓, answered."""
    classes: dict[str, list[str]] = {}
    for r in sorted(results, key=lambda r: r.id):
        if r.correct:
            continue
        if r.error:
            name = "failed with an error"
        elif not r.answerable:
            name = "unanswerable, answered" + (" ✓" if r.verified else "")
        elif r.abstained:
            name = f"answerable, refused: {r.flaw or 'no evidence'}"
        else:
            name = "answerable, wrong ✓" if r.verified else "answerable, wrong shown"
        classes.setdefault(name, []).append(r.id)
    return dict(sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def write_report(run: EvalRun, out_dir: str | Path, failures: list[str] | None = None) -> Path:
    """Write report.json/.md and scores.svg into `out_dir`; the last report becomes previous.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    previous = None
    if (out / "report.json").is_file():
        try:
            previous = EvalRun.from_json(json.loads((out / "report.json").read_text(encoding="utf-8")))
            os.replace(out / "report.json", out / "previous.json")
        except (ValueError, KeyError, TypeError):
            previous = None
    _write_atomic(out / "report.json", json.dumps(run.to_json(), ensure_ascii=False, indent=2))
    _write_atomic(out / "scores.svg", chart_svg(run.metrics))
    _write_atomic(out / "report.md", markdown(run, compare(run, previous), failures or []))
    return out / "report.md"
