#!/usr/bin/env bash
# Builds a link-time stand-in for the driver library (libcuda.so, soname libcuda.so.1) from the
# function names in the toolkit's cuda.h. The PyPI wheels carry no driver stub, and cudarc (as
# candle configures it) links to libcuda at build time. On a GPU machine the real driver's
# libcuda.so.1 is found by its soname and this file is never loaded. Every function of the
# stand-in returns CUDA_ERROR_NO_DEVICE (100), so putting lib/stubs on LD_LIBRARY_PATH on a
# machine without a driver imitates "driver present, no GPU" (used to test the error message).
set -euo pipefail
cuda="${1:?usage: make-libcuda-stub.sh CUDA_DIR}"
mkdir -p "$cuda/lib/stubs"
src="$(mktemp --suffix=.c)"
trap 'rm -f "$src"' EXIT
grep -ohE '\bcu[A-Z][A-Za-z0-9_]*\b' "$cuda"/include/cuda.h "$cuda"/include/cudaProfiler*.h 2>/dev/null \
  | sort -u | sed 's/.*/int &(void) { return 100; }/' >"$src"
cc -shared -fPIC -o "$cuda/lib/stubs/libcuda.so" -Wl,-soname,libcuda.so.1 "$src"
ln -sf libcuda.so "$cuda/lib/stubs/libcuda.so.1"
echo "stub driver library with $(wc -l <"$src") symbols: $cuda/lib/stubs/libcuda.so"
