"""``gongkai train``: fine-tune the narrative span model (registered by ``gongkai.cli``).

A plain function with typer ``Annotated`` parameters, so the top-level app can
register it (``app.command("train")(train_command)``) and tests can call it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from .train_transformer import DEFAULT_BASE, TrainConfig, train


def train_command(
    out: Annotated[Path, typer.Option(help="Model directory to write (the shipped format).")] = Path("models/narrative"),
    base_model: Annotated[str, typer.Option(
        "--base-model", help="'e5' (the converted multilingual-e5-small, vocabulary trimmed), "
        "or a local/hub BERT-like model with a tokenizer.json.")] = DEFAULT_BASE,
    epochs: Annotated[int, typer.Option(help="Passes over the training windows.")] = TrainConfig.epochs,
    layers: Annotated[int, typer.Option(help="Keep the first N encoder layers (0 = all).")] = TrainConfig.layers or 0,
    seed: Annotated[int, typer.Option(help="Random seed (init of the head, shuffling, window cuts).")] = TrainConfig.seed,
    device: Annotated[str, typer.Option(help="cpu or cuda.")] = "cpu",
    teacher: Annotated[Path | None, typer.Option(help="A trained span model dir to distil from (KL + CE).")] = None,
    threads: Annotated[int, typer.Option(help="torch CPU threads.")] = TrainConfig.threads,
    amp: Annotated[str, typer.Option(help="bf16 autocast: auto (where the CPU runs bf16 natively, or on GPU), bf16, off.")] = TrainConfig.amp,
    max_docs: Annotated[int, typer.Option(help="Train on only the first N training documents (smoke tests; 0 = all).")] = 0,
) -> None:
    """Fine-tune the narrative-count span model on the train split (never dev) and save it."""
    if device not in ("cpu", "cuda"):
        raise typer.BadParameter("--device must be cpu or cuda")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cfg = TrainConfig(
        base_model=base_model,
        layers=layers or None,
        epochs=epochs,
        seed=seed,
        device=device,
        teacher=str(teacher) if teacher else None,
        threads=threads,
        amp=amp,
        max_docs=max_docs or None,
    )
    summary = train(cfg, out)
    typer.echo(json.dumps({k: summary[k] for k in ("out", "version", "layers", "temperature")}, ensure_ascii=False))
    typer.echo(f"trained in {summary['train']['seconds']:.0f}s on {summary['train']['docs_fit']} documents")


if __name__ == "__main__":  # python -m gongkai.training.cli --help
    typer.run(train_command)
