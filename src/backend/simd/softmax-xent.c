// Softmax cross-entropy over a large vocabulary and its gradient (ops/sparse-cross-entropy.ts).
#include "simd.h"

// exp(x) for x <= 0 on 4 lanes: x = n ln2 + r, |r| <= ln2/2, exp(r) by its degree-6 Taylor polynomial
// (relative error below 2e-7), 2^n put into the exponent bits. Inputs below -87 give 0.
static inline v128_t exp_nonpositive(v128_t x) {
  x = wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504f)));
  v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693145752f))),
    wasm_f32x4_mul(n, wasm_f32x4_splat(1.42860677e-6f)));
  v128_t p = wasm_f32x4_splat(1.0f / 720);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 120));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 24));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 6));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.5f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

// Softmax of each row of x [N, V] into p, and the summed cross-entropy against labels.
EXPORT(softmax_xent) float softmax_xent(const float* x, const int* labels, float* p, u32 N, u32 V) {
  float loss = 0;
  u32 V4 = V & ~3u;
  for (u32 r = 0; r < N; r++) {
    const float* row = x + r * V;
    float* out = p + r * V;
    v128_t m4 = wasm_f32x4_splat(-3.0e38f);
    for (u32 k = 0; k < V4; k += 4) m4 = wasm_f32x4_max(m4, wasm_v128_load(row + k));
    float max = wasm_f32x4_extract_lane(m4, 0);
    if (wasm_f32x4_extract_lane(m4, 1) > max) max = wasm_f32x4_extract_lane(m4, 1);
    if (wasm_f32x4_extract_lane(m4, 2) > max) max = wasm_f32x4_extract_lane(m4, 2);
    if (wasm_f32x4_extract_lane(m4, 3) > max) max = wasm_f32x4_extract_lane(m4, 3);
    for (u32 k = V4; k < V; k++) if (row[k] > max) max = row[k];
    v128_t mv = wasm_f32x4_splat(max), s4 = wasm_f32x4_splat(0);
    for (u32 k = 0; k < V4; k += 4) {
      v128_t e = exp_nonpositive(wasm_f32x4_sub(wasm_v128_load(row + k), mv));
      wasm_v128_store(out + k, e);
      s4 = wasm_f32x4_add(s4, e);
    }
    float sum = wasm_f32x4_extract_lane(s4, 0) + wasm_f32x4_extract_lane(s4, 1) + wasm_f32x4_extract_lane(s4, 2) +
      wasm_f32x4_extract_lane(s4, 3);
    for (u32 k = V4; k < V; k++) {
      sum += out[k] = wasm_f32x4_extract_lane(exp_nonpositive(wasm_f32x4_splat(row[k] - max)), 0);
    }
    float inv = 1.0f / sum;
    v128_t inv4 = wasm_f32x4_splat(inv);
    for (u32 k = 0; k < V4; k += 4) wasm_v128_store(out + k, wasm_f32x4_mul(wasm_v128_load(out + k), inv4));
    for (u32 k = V4; k < V; k++) out[k] *= inv;
    // log(sum) from the bits: sum = 2^e m, m in [1, 2); log m by the atanh series (sum >= 1 here).
    union { float f; u32 i; } u = { sum };
    int e = (int)((u.i >> 23) & 255) - 127;
    u.i = (u.i & 0x007fffff) | 0x3f800000;
    float t = (u.f - 1) / (u.f + 1), t2 = t * t;
    float logm = 2 * t * (1 + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7 + t2 * (1.0f / 9 + t2 / 11)))));
    loss += e * 0.693147181f + logm + max - row[labels[r]];
  }
  return loss;
}

// Gradient of the mean cross-entropy: g = scale * (p - onehot(labels)).
EXPORT(softmax_xent_grad) void softmax_xent_grad(const float* p, const int* labels, float* g, u32 N, u32 V,
    float scale) {
  u32 n = N * V, n4 = n & ~3u;
  v128_t s = wasm_f32x4_splat(scale);
  for (u32 k = 0; k < n4; k += 4) wasm_v128_store(g + k, wasm_f32x4_mul(wasm_v128_load(p + k), s));
  for (u32 k = n4; k < n; k++) g[k] = p[k] * scale;
  for (u32 r = 0; r < N; r++) g[r * V + labels[r]] -= scale;
}
