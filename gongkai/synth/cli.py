"""Write synthetic reports with their gold files: ``gongkai synth``.

Each report is drawn from its own ``random.Random(f"{seed}-{i}")``, so a given
(seed, index) always gives the same file whatever ``n`` is.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path
from typing import Annotated, Any

import typer

from .prose import Mention, render_prose
from .records import random_record
from .render_html import render_html
from .render_text import render_txt

KINDS = ("txt", "md", "pipe", "lines", "html", "html-gbk", "docx", "pdf")
TEXT_KINDS = ("txt", "md", "pipe", "lines")  # kinds whose gold carries the narrative (exact offsets)
EXT = {"txt": "txt", "md": "md", "pipe": "txt", "lines": "txt", "html": "html", "html-gbk": "html",
       "docx": "docx", "pdf": "pdf"}


def render(kind: str, rng: random.Random, record: dict[str, Any], prose: tuple[str, list[Mention]],
           pdf_font: str | None = None) -> tuple[bytes, list[Mention]]:
    """One report of ``kind`` as file bytes, plus its narrative (empty where offsets are not exact).

    ``pdf_font``: a TrueType CJK font file to embed in PDFs (None: reportlab's non-embedded STSong-Light).
    """
    if kind in ("txt", "md", "pipe", "lines"):
        layout = {"txt": "tab", "md": "tab"}.get(kind, kind)
        text, narrative = render_txt(rng, record, prose, layout, markdown=True if kind == "md" else None)
        return text.encode("utf-8"), narrative
    if kind == "html":
        return render_html(rng, record, prose, encoding="utf-8", declare_charset=rng.random() < 0.85), []
    if kind == "html-gbk":
        return render_html(rng, record, prose, encoding="gbk", declare_charset=rng.random() < 0.5), []
    if kind == "docx":
        from .render_docx import render_docx

        return stable_zip(render_docx(rng, record, prose[0])), []
    if kind == "pdf":
        from .render_pdf import render_pdf

        return render_pdf(rng, record, prose[0], font=pdf_font), []
    raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")


def stable_zip(data: bytes) -> bytes:
    """The same ZIP (DOCX) with fixed entry timestamps, so a seed always gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return buf.getvalue()


def gold_of(record: dict[str, Any], source: str, narrative: list[Mention]) -> dict[str, Any]:
    """The gold file: the record with its source and narrative; ``_broken``/``_typo`` kept for validator tests."""
    gold = {k: v for k, v in record.items() if k != "_blanks"}
    gold["source"] = source
    gold["narrative"] = narrative
    return gold


def synthesize(
    out_dir: Path,
    n: int,
    *,
    kinds: list[str],
    formats: list[str],
    seed: int,
    p_broken: float = 0.1,
    p_blanks: float = 0.25,
    pdf_font: str | None = None,
) -> list[Path]:
    """Write ``n`` reports cycling through ``kinds`` × ``formats`` to ``out_dir`` and gold to ``out_dir/gold``.

    Returns the report paths. A share ``p_broken`` of the reports misprint one cell
    (gold ``_broken`` lists the failing relations), ``p_blanks`` print a few nulls.
    ``pdf_font`` is embedded in PDFs, as real reports embed theirs (see ``render_pdf.register_font``).
    """
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise ValueError(f"unknown kind(s) {bad}; expected some of {KINDS}")
    if not formats or any(f not in ("2019", "2021") for f in formats):
        raise ValueError(f"formats must be some of 2019, 2021; got {formats}")
    out_dir = Path(out_dir)
    (out_dir / "gold").mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        fmt = formats[(i // len(kinds)) % len(formats)]
        rng = random.Random(f"{seed}-{i}")
        doc_id = f"synth_{seed}_{i:04d}_{kind.replace('-', '')}_{fmt}"
        record = random_record(rng, fmt, doc_id=doc_id, break_arithmetic=rng.random() < p_broken,
                               blanks=rng.random() < p_blanks)
        prose = render_prose(rng, record)
        data, narrative = render(kind, rng, record, prose, pdf_font)
        source = f"{doc_id}.{EXT[kind]}"
        path = out_dir / source
        path.write_bytes(data)
        gold = gold_of(record, source, narrative if kind in TEXT_KINDS else [])
        (out_dir / "gold" / f"{doc_id}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), "utf-8")
        paths.append(path)
    return paths


def _split(values: list[str] | None, default: tuple[str, ...]) -> list[str]:
    if not values:
        return list(default)
    return [v.strip() for x in values for v in x.split(",") if v.strip()]


def synth_command(
    n: Annotated[int, typer.Option("-n", "--n", help="How many reports to write.")] = 24,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder (gold files go to OUT/gold).")] = Path("synth"),
    kinds: Annotated[
        list[str] | None,
        typer.Option("--kinds", "-k", help=f"Kinds, comma-separated or repeated: {', '.join(KINDS)}. Default: all."),
    ] = None,
    formats: Annotated[
        list[str] | None, typer.Option("--formats", "-f", help="Table formats: 2019, 2021. Default: both.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed writes the same files.")] = 0,
    pdf_font: Annotated[
        str,
        typer.Option(help="PDF font: 'none' (non-embedded STSong-Light), 'auto' (an installed TrueType CJK font, "
                     "embedded as real reports do, else none) or a .ttf/.ttc path."),
    ] = "none",
) -> None:
    """Generate synthetic reports with their gold annotations (no real report text)."""
    from .render_pdf import resolve_font

    font = resolve_font(pdf_font)
    if font is not None and not Path(font).is_file():
        raise typer.BadParameter(f"no font file at {font}", param_hint="--pdf-font")
    try:
        paths = synthesize(out, n, kinds=_split(kinds, KINDS), formats=_split(formats, ("2019", "2021")), seed=seed,
                           pdf_font=font)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    typer.echo(f"wrote {len(paths)} report(s) to {out} and their gold files to {out / 'gold'}")
