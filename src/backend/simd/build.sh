#!/usr/bin/env bash
# Rebuilds kernels.wasm from kernels.c (needs clang and lld with the wasm32 target: apt-get install clang lld).
# The built file is committed, so installing and running the project needs no compiler.
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32 -O3 -msimd128 -mbulk-memory -mmutable-globals -nostdlib \
  -Wl,--no-entry -Wl,--import-memory -Wl,--export=__stack_pointer -Wl,-z,stack-size=4096 \
  -o kernels.wasm kernels.c
echo "built $(wc -c < kernels.wasm) bytes"
