#!/usr/bin/env bash
# The GPU check, run from the repository root on a machine with an NVIDIA GPU and its driver,
# with the folder .gpu/ that scripts/gpu/build-cuda.sh filled (binaries built elsewhere: this
# needs no Rust toolchain and no network). Everything goes to $OUT/log (or ./gpu-log).
#
# It finds the CUDA 13 runtime libraries (e.g. in a PyTorch environment's nvidia/ packages),
# then runs: nvidia-smi; the CUDA unit tests (CPU vs GPU forward, backward and scoring); the
# model benchmark on the GPU and on this machine's CPU; `ladder eval` on a synthetic data set on
# both devices; and `--device cuda:N` with a GPU that is not there.
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

step "benchmark on CUDA"
timeout 150 "$g/train_speed" --device cuda
echo "rc=$?"

step "benchmark on the CPU ($(nproc) threads)"
timeout 150 "$g/train_speed" --device cpu
echo "rc=$?"

for dev in cuda cpu; do
  step "ladder eval on a synthetic data set, $dev"
  /usr/bin/time -f "wall %e s" timeout 120 "$g/ladder" eval --data "$g/synth" --model transformer \
    --folds 1 --epochs 4 --device "$dev" --json "$out/eval-$dev.json"
  echo "rc=$?"
done
step done
