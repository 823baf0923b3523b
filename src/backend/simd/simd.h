// What every SIMD kernel source shares. The kernels run inside the memory of tfjs' wasm backend: every
// pointer is an offset into that heap, so tensors are read and written in place. No globals, no libc, no
// stack arrays: a kernel must not touch memory it was not handed. build.sh links every *.c here into
// kernels.wasm.
#include <wasm_simd128.h>

typedef unsigned int u32;
#define EXPORT(name) __attribute__((export_name(#name)))
