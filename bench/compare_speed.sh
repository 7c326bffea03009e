#!/usr/bin/env bash
# Training speed of ladder-model (candle) and the same model in JAX, timed in the same run on
# the same threads. Figures go to docs/benchmarks.md (## Model).
#   bench/compare_speed.sh            # needs `pip install jax`
set -euo pipefail
cd "$(dirname "$0")/.."
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-2}"
echo "threads: $RAYON_NUM_THREADS ($(nproc) cores)"
cargo bench -p ladder-model --bench train_speed
python3 bench/jax_reference.py --d-model 32 --d-ff 64 --enc 1 --ret 1 --seq 100
python3 bench/jax_reference.py --d-model 128 --d-ff 256 --enc 2 --ret 2 --seq 200
