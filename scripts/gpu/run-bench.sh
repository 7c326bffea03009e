#!/usr/bin/env bash
# The GPU check, run from the repository root on a machine with an NVIDIA GPU and its driver,
# with the folder .gpu/ that scripts/gpu/build-cuda.sh filled (binaries built elsewhere: this
# needs no Rust toolchain and no network). Everything goes to $OUT/log (or ./gpu-log).
#
# It finds the CUDA 13 runtime libraries (e.g. in a PyTorch environment's nvidia/ packages),
# then runs: nvidia-smi; the CUDA unit tests (CPU vs GPU forward, backward and scoring); the
# model benchmark, the JAX reference (bench/jax_reference.py) and `ladder eval` on a synthetic
# data set, on the GPU and on this machine's CPU; and `--device cuda:N` with a GPU that is not there.
set -uo pipefail
g="${GPU_DIR:-.gpu}"
out="${OUT:-gpu-out}"
mkdir -p "$out"
exec > >(tee -a "$out/log") 2>&1
step() { echo; echo "=== $* [$(date -u +%H:%M:%S)]"; }

# Binaries may travel packed (the CUDA build is ~50 MB a binary stripped, 20 MB for all three
# xz-packed), and the synthetic data may be made here.
if [ -f "$g/bins.tar.xz" ] && [ ! -x "$g/ladder" ]; then
  tar -C "$g" -xJf "$g/bins.tar.xz" || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$g/bins.tar.xz" "$g"
fi
[ -d "$g/synth" ] || python3 "$(dirname "$0")/make-synth-csv.py" "$g/synth" 2000

step machine
date -u
nvidia-smi
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap,clocks.max.sm --format=csv
nproc

step libraries
roots=(/usr/local/nvidia/lib64 /usr/local/cuda/lib64)
py_nvidia="$(python3 -c 'import nvidia, sys; print(" ".join(nvidia.__path__))' 2>/dev/null || true)"
for r in $py_nvidia; do roots+=("$r"); done
libdirs=""
for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libnvrtc.so.13; do
  f="$(find "${roots[@]}" -name "$lib" 2>/dev/null | head -n1)"
  if [ -z "$f" ]; then echo "NOT FOUND: $lib"; continue; fi
  echo "$lib: $f"
  libdirs="$libdirs:$(dirname "$f")"
done
[ -d /usr/local/nvidia/lib64 ] && libdirs="$libdirs:/usr/local/nvidia/lib64"
export LD_LIBRARY_PATH="${libdirs#:}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
ldd "$g/ladder" | grep -E 'cuda|cublas|curand|nvrtc|not found'

step "unit tests on the GPU (CPU vs CUDA)"
LADDER_REQUIRE_CUDA=1 timeout 120 "$g/ladder_model_tests" device:: --test-threads 1 --nocapture
echo "rc=$?"

step "refusal of a GPU that is not there"
timeout 30 "$g/ladder" eval --data "$g/synth" --model transformer --folds 1 --device cuda:7
echo "rc=$? (expected non-zero)"

jax_ref="$(dirname "$0")/../../bench/jax_reference.py"
jax_both() {  # the JAX reference at the benchmark's two shapes, on the platform named
  for shape in "--d-model 32 --d-ff 64 --enc 1 --ret 1 --seq 100" "--d-model 128 --d-ff 256 --enc 2 --ret 2 --seq 200"; do
    # shellcheck disable=SC2086
    JAX_PLATFORMS="$1" timeout 90 python3 "$jax_ref" $shape
    echo "rc=$?"
  done
}

on_device() {  # the candle benchmark, the JAX reference and `ladder eval`, on cuda or cpu
  local dev="$1" jax_platform="$2" label="$3"
  step "benchmark on $label"
  timeout 150 "$g/train_speed" --device "$dev"
  echo "rc=$?"
  step "JAX reference on $label"
  jax_both "$jax_platform"
  step "ladder eval on a synthetic data set, $dev"
  /usr/bin/time -f "wall %e s" timeout 120 "$g/ladder" eval --data "$g/synth" --model transformer \
    --folds 1 --epochs 4 --device "$dev" --json "$out/eval-$dev.json"
  echo "rc=$?"
}
on_device cuda cuda "the GPU"
on_device cpu cpu "the CPU ($(nproc) threads)"
step done
