// Input patches for a convolution's filter gradient (kernels/conv2d-backprop-filter.ts).
#include "simd.h"

// A convolution's input patches for its filter gradient: row m (an output pixel) holds the pixel's
// kh x kw x Ci taps in the filter's layout, zero in the padding, then zeros up to Kp columns.
EXPORT(patches) void patches(const float* x, float* cols, u32 B, u32 H, u32 W, u32 Ci, u32 Ho, u32 Wo, u32 kh,
    u32 kw, u32 sh, u32 sw,
                             int top, int left, u32 Kp) {
  float* row = cols;
  for (u32 b = 0; b < B; b++) {
    for (u32 yo = 0; yo < Ho; yo++) {
      for (u32 xo = 0; xo < Wo; xo++, row += Kp) {
        u32 k = 0;
        for (u32 fr = 0; fr < kh; fr++) {
          int xr = (int)(yo * sh) - top + (int)fr;
          for (u32 fc = 0; fc < kw; fc++, k += Ci) {
            int xc = (int)(xo * sw) - left + (int)fc;
            if (xr >= 0 && xr < (int)H && xc >= 0 && xc < (int)W) {
              const float* src = x + ((b * H + (u32)xr) * W + (u32)xc) * Ci;
              for (u32 ci = 0; ci < Ci; ci++) row[k + ci] = src[ci];
            } else {
              for (u32 ci = 0; ci < Ci; ci++) row[k + ci] = 0;
            }
          }
        }
        for (; k < Kp; k++) row[k] = 0;
      }
    }
  }
}
