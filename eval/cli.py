"""``gongkai eval``: score extractions against gold, or diff two earlier runs.

Exit codes: 0 ok; 1 a ``--min-*`` threshold not met (for CI); 2 bad input
(gold files, directories, systems), reported as a message without traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .diff import print_diff
from .gold import GoldError
from .run import SYSTEMS, EvalError, run_eval


def _pred_dirs(pred: list[str]) -> dict[str, Path]:
    """``DIR`` or ``NAME=DIR``; unnamed directories are named ``pred`` (or by folder when several)."""
    out: dict[str, Path] = {}
    for item in pred:
        name, sep, path = item.partition("=")
        if not sep:
            name, path = ("pred" if len(pred) == 1 else Path(item).name), item
        if name in out:
            raise EvalError(f"two --pred directories named {name!r}; use NAME=DIR")
        out[name] = Path(path)
    return out


def summary_table(metrics: dict[str, Any]) -> Table:
    """The headline scores, one column per system."""
    systems = metrics["systems"]
    table = Table(title=f"gongkai eval: {metrics['gold']['documents']} gold reports", title_justify="left")
    table.add_column("metric")
    for name in systems:
        table.add_column(name, justify="right")
    rows = [
        ("table cell accuracy", ("tables", "overall", "accuracy")),
        ("reports with every cell right", ("tables", "reports", "share_all_correct")),
        ("narrative strict F1 (micro)", ("narrative", "strict", "micro", "f1")),
        ("narrative strict F1 (macro)", ("narrative", "strict", "macro", "f1")),
        ("narrative partial F1", ("narrative", "partial", "micro", "f1")),
        ("narrative value F1", ("narrative", "value", "micro", "f1")),
        ("calibration ECE", ("calibration", "ece")),
        ("false validation findings", ("validation", "false")),
        ("missing / failed documents", None),
    ]
    for label, path in rows:
        cells = []
        for m in systems.values():
            if path is None:
                cells.append(f"{m['documents']['missing_predictions']} / {m['documents']['failed']}")
                continue
            v: Any = m
            for k in path:
                v = v.get(k) if isinstance(v, dict) else None
            cells.append("—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)))
        table.add_row(label, *cells)
    return table


def eval_command(
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Directory of gold files (<doc_id>.json).", show_default=False),
    ] = None,
    docs: Annotated[
        Path | None,
        typer.Option("--docs", help="Where the source documents are (default: beside the gold files)."),
    ] = None,
    pred: Annotated[
        list[str] | None,
        typer.Option(
            "--pred",
            metavar="DIR|NAME=DIR",
            help="Saved predictions to score instead of running the extractor: DIR or NAME=DIR; repeatable.",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Output directory for metrics.json, errors.json, report.html.")
    ] = Path("eval-out"),
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help=f"Comma-separated narrative systems to run and compare side by side ({','.join(SYSTEMS)}). Default: model.",
        ),
    ] = None,
    diff: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            "--diff",
            help="Compare two metrics.json files (OLD NEW) and print what got better or worse; nothing else runs.",
        ),
    ] = None,
    min_table_accuracy: Annotated[
        float | None,
        typer.Option(
            "--min-table-accuracy", help="Exit 1 unless every system's table cell accuracy reaches this."
        ),
    ] = None,
    min_narrative_f1: Annotated[
        float | None,
        typer.Option("--min-narrative-f1", help="Exit 1 unless every system's strict micro F1 reaches this."),
    ] = None,
    model_name: Annotated[
        str | None, typer.Option("--model-name", help="Model name to record in metrics.json.")
    ] = None,
    model_version: Annotated[
        str | None, typer.Option("--model-version", help="Model version to record.")
    ] = None,
) -> None:
    """Score extractions against gold annotations and write an evaluation report."""
    console, err = Console(), Console(stderr=True, soft_wrap=True)
    if diff is not None and all(diff):
        missing = [str(p) for p in diff if not Path(p).is_file()]
        if missing:
            err.print(f"[red]error:[/] metrics file not found: {', '.join(missing)}")
            raise typer.Exit(2)
        print_diff(diff[0], diff[1], console)
        return
    if gold is None:
        err.print("[red]error:[/] --gold DIR is required (or --diff OLD NEW)")
        raise typer.Exit(2)
    systems = tuple(s.strip() for s in compare.split(",") if s.strip()) if compare else ("model",)
    try:
        metrics = run_eval(
            gold,
            docs_dir=docs,
            pred_dir=_pred_dirs(pred) if pred else None,
            out_dir=out,
            systems=systems,
            thresholds={"table_accuracy": min_table_accuracy, "narrative_f1": min_narrative_f1},
            model={"name": model_name, "version": model_version},
        )
    except GoldError as e:
        err.print(f"[red]bad gold:[/] {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from None
    except EvalError as e:
        err.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
        raise typer.Exit(2) from None
    console.print(summary_table(metrics))
    for name, m in metrics["systems"].items():
        docs_m = m["documents"]
        if docs_m["failed"] or docs_m["missing_predictions"]:
            err.print(
                f"[yellow]warning:[/] {name}: {docs_m['failed']} failed and {docs_m['missing_predictions']} missing "
                "document(s), scored as empty predictions (details in errors.json)"
            )
        if docs_m["errors"]:
            doc, msg = next(iter(docs_m["errors"].items()))
            err.print(f"  first failure: {doc}: {escape(str(msg))}", highlight=False)
    console.print(f"wrote {out / 'metrics.json'}, {out / 'errors.json'}, {out / 'report.html'}")
    th = metrics.get("thresholds")
    if th and not th["passed"]:
        for c in th["checks"]:
            if not c["ok"]:
                v = "n/a" if c["value"] is None else f"{c['value']:.4f}"
                err.print(f"[red]threshold not met:[/] {c['system']}: {c['label']} {v} < {c['min']}")
        raise typer.Exit(1)
