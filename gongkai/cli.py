"""The ``gongkai`` command: extract, validate, eval, synth, train, annotate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from gongkai import __version__

app = typer.Typer(
    help="gongkai (公开): 政府信息公开工作年度报告 into clean, validated data.\n\n"
    "extract reads reports (txt/md, HTML, DOCX, PDF, DOC) into one JSON each plus a tidy table; "
    "validate checks each report's own arithmetic; eval scores output against gold annotations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    pass


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Report files, folders (read recursively) or glob patterns.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder: <doc_id>.json per document, reports.parquet/.csv, summary.json.")] = Path("out"),
    narrative: Annotated[str, typer.Option(help="Narrative tagger: model (fine-tuned transformer), baseline (scikit-learn), rules, or none.")] = "model",
    workers: Annotated[int, typer.Option(help="Worker processes on this machine.")] = 1,
    ray: Annotated[bool, typer.Option("--ray", help="Distribute documents over a Ray cluster (RAY_ADDRESS, or a local one).")] = False,
    resume: Annotated[bool, typer.Option(help="Skip documents whose output exists and whose input, extractor version and narrative system are unchanged.")] = True,
    validate: Annotated[bool, typer.Option("--validate", help="Print each report's arithmetic findings after extracting.")] = False,
) -> None:
    """Extract the three standard tables, metadata and narrative counts from reports."""
    from gongkai.extraction.batch import collect_inputs, run_batch
    from gongkai.extraction.pipeline import NARRATIVE_SYSTEMS

    if narrative not in NARRATIVE_SYSTEMS:
        console.print(f"[red]--narrative must be one of {', '.join(NARRATIVE_SYSTEMS)}[/red]")
        raise typer.Exit(2)
    try:
        paths = collect_inputs(inputs)
    except FileNotFoundError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2) from None
    if not paths:
        console.print("[red]no input files found[/red]")
        raise typer.Exit(2)
    mapper = None
    if ray:
        from gongkai.extraction.distributed import ray_mapper

        mapper = ray_mapper(narrative)
    records: list[dict] = []
    with Progress(
        TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[doc]}"),
        TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=False,
    ) as progress:
        task = progress.add_task("extract", total=len(paths), doc="")

        def on_record(rec: dict) -> None:
            progress.update(task, advance=1, doc=rec.get("doc_id", ""))
            if validate:
                records.append({"doc_id": rec["doc_id"], "findings": rec.get("findings") or []})

        summary = run_batch(paths, out, narrative=narrative, workers=workers, resume=resume,
                            on_record=on_record, mapper=mapper)
    s = summary.to_json()
    t = Table(title=f"gongkai extract → {out}", show_header=True)
    for col in ("documents", "ok", "with problems", "no tables", "failed", "unchanged (skipped)", "docs/s"):
        t.add_column(col, justify="right")
    t.add_row(str(s["documents"]), str(s["ok"]), str(s["with_problems"]), str(s["no_tables"]), str(s["failed"]),
              str(s["skipped_unchanged"]), f"{s['docs_per_s']:.1f}")
    console.print(t)
    for f in s["failures"]:
        console.print(f"  [red]failed[/red] {f['source']}: {f['error']}")
    if validate:
        _print_findings(records)


def _print_findings(records: list[dict]) -> int:
    n = 0
    for rec in records:
        findings = rec.get("findings") or []
        if not findings:
            console.print(f"[green]✓[/green] {rec['doc_id']}: all relations hold")
            continue
        console.print(f"[yellow]✗[/yellow] {rec['doc_id']}: {len(findings)} finding(s)")
        for f in findings:
            n += 1
            console.print(f"    [{f['kind']}] {f['relation']}: {f['message']}")
            if f.get("sentence"):
                console.print(f"        「{f['sentence']}」")
    return n


@app.command("validate")
def validate_cmd(
    path: Annotated[Path, typer.Argument(help="An extraction output folder (or one JSON file); gold files work too.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print findings as JSON lines instead of text.")] = False,
) -> None:
    """Check each report's own arithmetic (勾稽关系) and prose-vs-table contradictions."""
    from gongkai.extraction.validate import check_report

    files = [path] if path.is_file() else sorted(p for p in path.glob("*.json") if p.name != "summary.json")
    if not files:
        console.print(f"[red]no JSON records in {path}[/red]")
        raise typer.Exit(2)
    records = []
    for f in files:
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except ValueError as e:
            console.print(f"[red]{f}: not JSON ({e})[/red]")
            continue
        if "tables" not in rec:
            continue
        fmt = (rec.get("meta") or {}).get("format")
        findings = check_report(rec.get("tables") or {}, fmt, rec.get("narrative") or [])
        # keep the sentence the extractor saw, if the record has findings with sentences
        old = {x.get("relation"): x.get("sentence") for x in rec.get("findings") or []}
        out = []
        for x in findings:
            d = x.__dict__.copy()
            d["sentence"] = d["sentence"] or old.get(x.relation)
            out.append(d)
        records.append({"doc_id": rec.get("doc_id", f.stem), "findings": out})
    if json_out:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    n = _print_findings(records)
    console.print(f"{len(records)} report(s), {n} finding(s)")


def _register_optional() -> None:
    """Commands whose modules live in other folders of the project."""
    try:
        from gongkai.eval.cli import eval_command

        app.command("eval", help="Score extraction output against gold annotations; write an evaluation report.")(eval_command)
    except ImportError:
        pass
    try:
        from gongkai.synth.cli import synth_command

        app.command("synth", help="Generate synthetic reports (txt/HTML/DOCX/PDF) with their gold files.")(synth_command)
    except ImportError:
        pass
    try:
        from gongkai.training.cli import train_command

        app.command("train", help="Train the narrative model from annotations.")(train_command)
    except ImportError:
        pass
    try:
        from gongkai.annotations.cli import annotate_app

        app.add_typer(annotate_app, name="annotate", help="Active-learning annotation loop with Label Studio.")
    except ImportError:
        pass


_register_optional()
