// Every second pixel and its gradient (kernels/subsample.ts, ops/subsample.ts).
#include "simd.h"

// Every second pixel from (oy, ox): y[b, i, j, :] = x[b, 2i + oy, 2j + ox, :], zero past the edge.
// Output Ho = ceil(H / 2), Wo = ceil(W / 2), so both offsets give the same shape (FactorizedReduce).
EXPORT(subsample2) void subsample2(const float* x, float* y, u32 B, u32 H, u32 W, u32 C, u32 oy, u32 ox) {
  u32 Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  for (u32 b = 0; b < B; b++) {
    for (u32 i = 0; i < Ho; i++) {
      for (u32 j = 0; j < Wo; j++) {
        float* out = y + ((b * Ho + i) * Wo + j) * C;
        u32 r = 2 * i + oy, q = 2 * j + ox;
        if (r < H && q < W) __builtin_memcpy(out, x + ((b * H + r) * W + q) * C, C * sizeof(float));
        else __builtin_memset(out, 0, C * sizeof(float));
      }
    }
  }
}

// Its gradient: dx zero except at the sampled pixels.
EXPORT(subsample2_grad) void subsample2_grad(const float* dy, float* dx, u32 B, u32 H, u32 W, u32 C, u32 oy, u32 ox) {
  u32 Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  __builtin_memset(dx, 0, B * H * W * C * sizeof(float));
  for (u32 b = 0; b < B; b++) {
    for (u32 i = 0; i < Ho; i++) {
      for (u32 j = 0; j < Wo; j++) {
        u32 r = 2 * i + oy, q = 2 * j + ox;
        if (r < H && q < W)
          __builtin_memcpy(dx + ((b * H + r) * W + q) * C, dy + ((b * Ho + i) * Wo + j) * C, C * sizeof(float));
      }
    }
  }
}
