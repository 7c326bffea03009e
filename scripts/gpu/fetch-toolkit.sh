#!/usr/bin/env bash
# Fetches the pieces of the CUDA 13.0 toolkit that building Ladder with `--features cuda` needs
# (nvcc, its headers, and the libraries to link against) from PyPI wheels into .cuda/ at the
# repository root (git-ignored; never commit it). Needs only pip and unzip: no system CUDA.
#
# Why 13.0 and not the newest: candle loads its kernels as PTX, and a driver refuses PTX from a
# newer toolkit than its own. Match the toolkit to the oldest driver you will run on (driver 580
# = CUDA 13.0). Override with CUDA_WHEEL_VERSION=12.9 etc. (then adjust the library wheels).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ver="${CUDA_WHEEL_VERSION:-13.0}"
dest="$root/.cuda"
mkdir -p "$dest/whl" "$dest/x"
python3 -m pip download --quiet --no-deps --only-binary=:all: \
  --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux_2_12_x86_64 --python-version 3.11 \
  -d "$dest/whl" \
  "nvidia-cuda-nvcc==$ver.*" "nvidia-cuda-crt==$ver.*" "nvidia-cuda-cccl==$ver.*" \
  "nvidia-nvvm==$ver.*" "nvidia-cuda-runtime==$ver.*" "nvidia-cuda-nvrtc==$ver.*" \
  "nvidia-cublas==$ver.*" "nvidia-curand<10.5"
for w in "$dest"/whl/*.whl; do unzip -q -o "$w" -d "$dest/x"; done
cuda="$(ls -d "$dest"/x/nvidia/cu*/ | head -n1)"
cuda="${cuda%/}"
chmod +x "$cuda"/bin/* "$cuda"/nvvm/bin/*
# The wheels ship only versioned sonames; the linker wants the plain names.
for so in "$cuda"/lib/lib*.so.*; do
  base="$(basename "$so")"
  plain="${base%%.so.*}.so"
  case "$base" in *builtins*|*.alt.*) continue ;; esac
  ln -sf "$base" "$cuda/lib/$plain"
done
echo "CUDA toolkit pieces in $cuda"
"$cuda/bin/nvcc" --version | tail -n2
