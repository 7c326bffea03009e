#!/usr/bin/env bash
# Builds the `ladder` CLI and the model benchmark with candle's CUDA backend, without a system
# CUDA install: scripts/gpu/fetch-toolkit.sh puts nvcc, headers and libraries from PyPI wheels
# into .cuda/. No GPU is needed to build. The CLI, the benchmark and ladder-model's unit tests
# are copied to .gpu/ (git-ignored) with scripts/gpu/run-bench.sh and a synthetic data set,
# ready to carry to a GPU machine: `bash .gpu/run-bench.sh` there.
#
#   scripts/gpu/fetch-toolkit.sh          # once
#   scripts/gpu/build-cuda.sh             # CUDA_COMPUTE_CAP=90 (Hopper) unless set
#
# At run time the binaries need libcuda.so.1 (the driver), libcudart.so.13, libcublas.so.13,
# libcublasLt.so.13, libcurand.so.10 and libnvrtc.so.13 on the loader path (docs/model.md, "GPU").
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cuda="$(ls -d "$root"/.cuda/x/nvidia/cu*/ 2>/dev/null | head -n1 || true)"
cuda="${cuda%/}"
if [ -z "$cuda" ] || [ ! -x "$cuda/bin/nvcc" ]; then
  echo "no toolkit in .cuda/: run scripts/gpu/fetch-toolkit.sh first" >&2
  exit 1
fi
[ -f "$cuda/lib/stubs/libcuda.so" ] || "$root/scripts/gpu/make-libcuda-stub.sh" "$cuda"
ver="$("$cuda/bin/nvcc" --version | sed -n 's/.*release \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
read -r major minor <<<"$ver"
export CUDA_HOME="$cuda" NVCC="$cuda/bin/nvcc" PATH="$cuda/bin:$PATH"
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-90}"
export CUDARC_CUDA_VERSION="${major}0${minor}0"
export LIBRARY_PATH="$cuda/lib:$cuda/lib/stubs${LIBRARY_PATH:+:$LIBRARY_PATH}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-gpu}"
cd "$root"
nice -n 10 cargo build --release --locked -p ladder-cli --features cuda
# The benchmark and the unit tests in one call that also names the CLI, so that dependencies get
# the CLI build's features: a `-p ladder-model` build alone unifies features differently and
# rebuilds candle's CUDA kernels (nvcc, about half an hour on two cores).
nice -n 10 cargo test --release --locked -p ladder-cli -p ladder-model \
  --features ladder-cli/cuda,ladder-model/cuda --lib --bench train_speed --bin ladder --no-run
# Newest executable among target/release/deps/NAME-HASH (cargo prints no path for --no-run).
newest() { ls -t "$CARGO_TARGET_DIR"/release/deps/"$1"-* | grep -vE '\.(d|rlib|rmeta)$' | head -n1; }
mkdir -p "$root/.gpu"
cp "$CARGO_TARGET_DIR/release/ladder" "$root/.gpu/ladder"
cp "$(newest train_speed)" "$root/.gpu/train_speed"
cp "$(newest ladder_model)" "$root/.gpu/ladder_model_tests"
cp "$root/scripts/gpu/run-bench.sh" "$root/.gpu/run-bench.sh"
[ -d "$root/.gpu/synth" ] || python3 "$root/scripts/gpu/make-synth-csv.py" "$root/.gpu/synth" 2000
echo "built into .gpu/: $(ls "$root/.gpu" | tr '\n' ' ')"
