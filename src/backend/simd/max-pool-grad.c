// The gradient of 3x3 max pooling (kernels/max-pool-grad.ts, ops/max-pool.ts).
#include "simd.h"

// Gradient of 3x3 max pooling with padding 1: each output's gradient goes to the first maximum of its window.
// Four channels at a time: a running maximum and the pixel index it came from, per lane.
EXPORT(max_pool3_grad) void max_pool3_grad(const float* x, const float* dy, float* dx, u32 B, u32 H, u32 W, u32 C,
    u32 Ho, u32 Wo, u32 stride) {
  __builtin_memset(dx, 0, B * H * W * C * sizeof(float));
  for (u32 b = 0; b < B; b++) {
    for (u32 oh = 0; oh < Ho; oh++) {
      int r0 = (int)(oh * stride) - 1; if (r0 < 0) r0 = 0;
      int r1 = (int)(oh * stride) + 2; if (r1 > (int)H) r1 = (int)H;
      for (u32 ow = 0; ow < Wo; ow++) {
        int q0 = (int)(ow * stride) - 1; if (q0 < 0) q0 = 0;
        int q1 = (int)(ow * stride) + 2; if (q1 > (int)W) q1 = (int)W;
        const float* g = dy + ((b * Ho + oh) * Wo + ow) * C;
        u32 first = (b * H + (u32)r0) * W + (u32)q0;
        u32 c = 0;
        if (C % 4 == 0) {
          for (; c < C; c += 4) {
            v128_t best = wasm_v128_load(x + first * C + c);
            v128_t at = wasm_i32x4_splat((int)first);
            for (int r = r0; r < r1; r++) {
              for (int q = q0; q < q1; q++) {
                u32 p = (b * H + (u32)r) * W + (u32)q;
                v128_t v = wasm_v128_load(x + p * C + c);
                v128_t gt = wasm_f32x4_gt(v, best);
                best = wasm_v128_bitselect(v, best, gt);
                at = wasm_v128_bitselect(wasm_i32x4_splat((int)p), at, gt);
              }
            }
            dx[(u32)wasm_i32x4_extract_lane(at, 0) * C + c] += g[c];
            dx[(u32)wasm_i32x4_extract_lane(at, 1) * C + c + 1] += g[c + 1];
            dx[(u32)wasm_i32x4_extract_lane(at, 2) * C + c + 2] += g[c + 2];
            dx[(u32)wasm_i32x4_extract_lane(at, 3) * C + c + 3] += g[c + 3];
          }
        } else {
          for (; c < C; c++) {
            u32 at = first;
            float best = x[first * C + c];
            for (int r = r0; r < r1; r++) {
              for (int q = q0; q < q1; q++) {
                u32 p = (b * H + (u32)r) * W + (u32)q;
                if (x[p * C + c] > best) { best = x[p * C + c]; at = p; }
              }
            }
            dx[at * C + c] += g[c];
          }
        }
      }
    }
  }
}
