#!/usr/bin/env bash
# Builds kernels.wasm and kernels-shared.wasm from the kernel sources here (one *.c per operation, linked in
# name order) with Debian's clang and lld (apt-get install clang lld; the wasm32 target is built in). Both
# import their memory: kernels.wasm an unshared one (tfjs' one-thread wasm heap), kernels-shared.wasm a shared
# one of at most 4 GiB (tfjs' threaded heap, a SharedArrayBuffer: shared and its maximum must match to link).
# The built files are committed, so installing and running the project needs no compiler;
# test/backend/simd-build.test.ts rebuilds them and fails when they differ from the committed ones.
#   build.sh [DIR]   (default: here)
set -euo pipefail
cd "$(dirname "$0")"
dir="${1:-.}"
export LC_ALL=C
sources=(*.c)
link() {
  clang --target=wasm32 -O3 -msimd128 -mbulk-memory -mmutable-globals -nostdlib "$@" \
    -Wl,--no-entry -Wl,--import-memory -Wl,--export=__stack_pointer -Wl,-z,stack-size=4096 "${sources[@]}"
  echo "built $2: $(wc -c < "$2") bytes from ${#sources[@]} sources"
}
link -o "$dir/kernels.wasm"
link -o "$dir/kernels-shared.wasm" -matomics -Wl,--shared-memory -Wl,--max-memory=4294967296
