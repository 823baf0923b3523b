// The fused SGD update and the gradients' global norm (ops/sgd-update.ts).
#include "simd.h"

// Sum of squares of n floats (for the global gradient norm).
EXPORT(sum_squares) float sum_squares(const float* g, u32 n) {
  v128_t acc = wasm_f32x4_splat(0);
  u32 i = 0;
  for (; i + 4 <= n; i += 4) { v128_t v = wasm_v128_load(g + i); acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v, v)); }
  float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) +
      wasm_f32x4_extract_lane(acc, 3);
  for (; i < n; i++) s += g[i] * g[i];
  return s;
}

// One SGD step, as torch.optim.SGD after clipping: d = g * scale + wd * w; buf = mu * buf + d;
// d = nesterov ? d + mu * buf : buf; w_out = w - lr * d. The momentum buffer is updated in place; the new
// weight goes to a fresh tensor (XNNPACK caches packed weights by tensor, so weights must not change in place).
// Without momentum (mu = 0) buf is neither read nor written (it may be 0).
EXPORT(sgd_update) void sgd_update(const float* w, const float* g, float* buf, float* out, u32 n, float lr,
    float mu, float wd, float scale, u32 nesterov) {
  v128_t vlr = wasm_f32x4_splat(lr), vmu = wasm_f32x4_splat(mu), vwd = wasm_f32x4_splat(wd),
      vs = wasm_f32x4_splat(scale);
  u32 i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t wi = wasm_v128_load(w + i);
    v128_t d = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(g + i), vs), wasm_f32x4_mul(vwd, wi));
    v128_t b = d;
    if (mu != 0) {
      b = wasm_f32x4_add(wasm_f32x4_mul(vmu, wasm_v128_load(buf + i)), d);
      wasm_v128_store(buf + i, b);
    }
    d = nesterov ? wasm_f32x4_add(d, wasm_f32x4_mul(vmu, b)) : b;
    wasm_v128_store(out + i, wasm_f32x4_sub(wi, wasm_f32x4_mul(vlr, d)));
  }
  for (; i < n; i++) {
    float d = g[i] * scale + wd * w[i];
    float b = d;
    if (mu != 0) b = buf[i] = mu * buf[i] + d;
    d = nesterov ? d + mu * b : b;
    out[i] = w[i] - lr * d;
  }
}
