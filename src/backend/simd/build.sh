#!/usr/bin/env bash
# Builds kernels.wasm from the kernel sources here (one *.c per operation, linked in name order) with
# Debian's clang and lld (apt-get install clang lld; the wasm32 target is built in). The built file is
# committed, so installing and running the project needs no compiler; test/backend/simd-build.test.ts
# rebuilds it and fails when it differs from the committed one.
#   build.sh [OUT]   (default: kernels.wasm here)
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-kernels.wasm}"
export LC_ALL=C
sources=(*.c)
clang --target=wasm32 -O3 -msimd128 -mbulk-memory -mmutable-globals -nostdlib \
  -Wl,--no-entry -Wl,--import-memory -Wl,--export=__stack_pointer -Wl,-z,stack-size=4096 \
  -o "$out" "${sources[@]}"
echo "built $out: $(wc -c < "$out") bytes from ${#sources[@]} sources"
