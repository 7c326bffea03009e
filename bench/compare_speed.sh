#!/usr/bin/env bash
# Training speed of ladder-model (candle) and the same model in JAX, timed in the same run on
# the same threads. Figures go to docs/benchmarks.md (## Model).
#   bench/compare_speed.sh            # needs `pip install jax`
set -euo pipefail
cd "$(dirname "$0")/.."
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-2}"
# The bench runs candle's element-wise ops on one thread (fused::serial_elementwise_ops) unless
# CANDLE_NUM_THREADS is set; matrix products and fused kernels use RAYON_NUM_THREADS.
echo "threads: $RAYON_NUM_THREADS, element-wise ${CANDLE_NUM_THREADS:-1} ($(nproc) cores); load: $(uptime | sed 's/.*load/load/')"
cargo bench -p ladder-model --bench train_speed
python3 bench/jax_reference.py --d-model 32 --d-ff 64 --enc 1 --ret 1 --seq 100
python3 bench/jax_reference.py --d-model 128 --d-ff 256 --enc 2 --ret 2 --seq 200
