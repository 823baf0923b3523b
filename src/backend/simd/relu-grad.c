// The ReLU gradient in one pass (kernels/relu-grad.ts, ops/relu.ts).
#include "simd.h"

// ReLU gradient from the output: dx = y > 0 ? dy : 0.
EXPORT(relu_grad) void relu_grad(const float* y, const float* dy, float* dx, u32 n) {
  v128_t zero = wasm_f32x4_splat(0);
  u32 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dx + i, wasm_v128_and(wasm_v128_load(dy + i),
      wasm_f32x4_gt(wasm_v128_load(y + i), zero)));
  for (; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}
