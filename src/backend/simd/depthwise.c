// Depthwise convolution and its filter gradient (kernels/depthwise-*.ts): on a zero-padded copy for
// 3x3 and 5x5 filters on channels in fours, else with edge tests.
#include "simd.h"

// x [B, H, W, C] into xp [B, Hp, Wp, C] at row top and column left, zeros around it (Hp >= H + top,
// Wp >= W + left): a padded copy lets the depthwise kernels below run without any bounds tests.
EXPORT(pad_copy) void pad_copy(const float* x, float* xp, u32 B, u32 H, u32 W, u32 C, u32 top, u32 left, u32 Hp,
    u32 Wp) {
  u32 row = Wp * C, right = (Wp - W - left) * C;
  for (u32 b = 0; b < B; b++) {
    float* img = xp + b * Hp * row;
    __builtin_memset(img, 0, top * row * sizeof(float));
    for (u32 i = 0; i < H; i++) {
      float* r = img + (i + top) * row;
      __builtin_memset(r, 0, left * C * sizeof(float));
      __builtin_memcpy(r + left * C, x + (b * H + i) * W * C, W * C * sizeof(float));
      __builtin_memset(r + (left + W) * C, 0, right * sizeof(float));
    }
    __builtin_memset(img + (top + H) * row, 0, (Hp - top - H) * row * sizeof(float));
  }
}

// Depthwise correlation of a padded x by a K x K filter (K a constant, so the tap loops unroll), C a
// multiple of 4: y[b, yo, xo, c] = sum over r, s of xp[b, yo*sh + r*dh, xo*sw + s*dwl, c] * f[r, s, c].
static inline __attribute__((always_inline)) void dw_conv_padded_k(const u32 K, const float* xp, const float* f,
    float* y, u32 B, u32 Hp, u32 Wp, u32 C, u32 Ho, u32 Wo, u32 sh, u32 sw, u32 dh, u32 dwl) {
  u32 rowStep = dh * Wp * C, tap = dwl * C, step = sw * C;
  for (u32 b = 0; b < B; b++) {
    for (u32 yo = 0; yo < Ho; yo++) {
      const float* base = xp + ((b * Hp + yo * sh) * Wp) * C;
      float* yrow = y + ((b * Ho + yo) * Wo) * C;
      for (u32 c = 0; c < C; c += 4) {
        v128_t w[25];
        for (u32 k = 0; k < K * K; k++) w[k] = wasm_v128_load(f + k * C + c);
        const float* p = base + c;
        for (u32 xo = 0; xo < Wo; xo++, p += step) {
          v128_t a = wasm_f32x4_mul(wasm_v128_load(p), w[0]);
          for (u32 r = 0; r < K; r++)
            for (u32 s = r == 0 ? 1 : 0; s < K; s++)
              a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(p + r * rowStep + s * tap), w[r * K + s]));
          wasm_v128_store(yrow + xo * C + c, a);
        }
      }
    }
  }
}

EXPORT(dw_conv_padded) void dw_conv_padded(const float* xp, const float* f, float* y, u32 B, u32 Hp, u32 Wp, u32 C,
    u32 Ho, u32 Wo, u32 k, u32 sh, u32 sw, u32 dh, u32 dwl) {
  if (k == 3) dw_conv_padded_k(3, xp, f, y, B, Hp, Wp, C, Ho, Wo, sh, sw, dh, dwl);
  else dw_conv_padded_k(5, xp, f, y, B, Hp, Wp, C, Ho, Wo, sh, sw, dh, dwl);
}

// The filter gradient of the same correlation: df[r, s, c] = sum xp[b, yo*sh + r*dh, xo*sw + s*dwl, c] * dy[b, yo,
// xo, c].
// Along each row of outputs, one tap row's K sums stay in registers and each dy vector is loaded once per tap row.
static inline __attribute__((always_inline)) void dw_filter_grad_padded_k(const u32 K, const float* xp,
    const float* dy, float* df, u32 B, u32 Hp, u32 Wp, u32 C, u32 Ho, u32 Wo, u32 sh, u32 sw, u32 dh, u32 dwl) {
  u32 rowStep = dh * Wp * C, tap = dwl * C, step = sw * C;
  __builtin_memset(df, 0, K * K * C * sizeof(float));
  for (u32 b = 0; b < B; b++) {
    for (u32 yo = 0; yo < Ho; yo++) {
      const float* base = xp + ((b * Hp + yo * sh) * Wp) * C;
      const float* dyrow = dy + ((b * Ho + yo) * Wo) * C;
      for (u32 r = 0; r < K; r++) {
        for (u32 c = 0; c < C; c += 4) {
          v128_t a[5];
          for (u32 s = 0; s < K; s++) a[s] = wasm_f32x4_splat(0);
          const float* p = base + r * rowStep + c;
          for (u32 xo = 0; xo < Wo; xo++, p += step) {
            v128_t g = wasm_v128_load(dyrow + xo * C + c);
            for (u32 s = 0; s < K; s++) a[s] = wasm_f32x4_add(a[s], wasm_f32x4_mul(wasm_v128_load(p + s * tap), g));
          }
          for (u32 s = 0; s < K; s++)
            wasm_v128_store(df + (r * K + s) * C + c, wasm_f32x4_add(wasm_v128_load(df + (r * K + s) * C + c), a[s]));
        }
      }
    }
  }
}

EXPORT(dw_filter_grad_padded) void dw_filter_grad_padded(const float* xp, const float* dy, float* df, u32 B,
    u32 Hp, u32 Wp, u32 C, u32 Ho, u32 Wo, u32 k, u32 sh, u32 sw, u32 dh, u32 dwl) {
  if (k == 3) dw_filter_grad_padded_k(3, xp, dy, df, B, Hp, Wp, C, Ho, Wo, sh, sw, dh, dwl);
  else dw_filter_grad_padded_k(5, xp, dy, df, B, Hp, Wp, C, Ho, Wo, sh, sw, dh, dwl);
}

// Depthwise correlation (channel multiplier 1), any filter size: y[b, yo, xo, c] = sum over r, s of
// x[b, yo*sh - top + r*dh, xo*sw - left + s*dwl, c] * f[r, s, c], zero outside x; four channels at a time
// where they come in fours. 3x3 and 5x5 filters on channels in fours take dw_conv_padded instead.
static inline void dw_conv_pixel(const float* x, const float* f, float* out, u32 b, u32 H, u32 W, u32 C, int yr, int xc,
                                 u32 kh, u32 kw, u32 dh, u32 dwl) {
  u32 c = 0;
  for (; c + 4 <= C; c += 4) {
    v128_t a = wasm_f32x4_splat(0);
    for (u32 r = 0; r < kh; r++) {
      int xr = yr + (int)(r * dh);
      if (xr < 0 || xr >= (int)H) continue;
      for (u32 s = 0; s < kw; s++) {
        int q = xc + (int)(s * dwl);
        if (q < 0 || q >= (int)W) continue;
        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(x + ((b * H + (u32)xr) * W + (u32)q) * C + c),
            wasm_v128_load(f + (r * kw + s) * C + c)));
      }
    }
    wasm_v128_store(out + c, a);
  }
  for (; c < C; c++) {
    float a = 0;
    for (u32 r = 0; r < kh; r++) {
      int xr = yr + (int)(r * dh);
      if (xr < 0 || xr >= (int)H) continue;
      for (u32 s = 0; s < kw; s++) {
        int q = xc + (int)(s * dwl);
        if (q >= 0 && q < (int)W) a += x[((b * H + (u32)xr) * W + (u32)q) * C + c] * f[(r * kw + s) * C + c];
      }
    }
    out[c] = a;
  }
}

EXPORT(dw_conv) void dw_conv(const float* x, const float* f, float* y, u32 B, u32 H, u32 W, u32 C, u32 Ho, u32 Wo,
                             u32 kh, u32 kw, u32 sh, u32 sw, u32 dh, u32 dwl, int top, int left) {
  for (u32 b = 0; b < B; b++)
    for (u32 yo = 0; yo < Ho; yo++)
      for (u32 xo = 0; xo < Wo; xo++)
        dw_conv_pixel(x, f, y + ((b * Ho + yo) * Wo + xo) * C, b, H, W, C, (int)(yo * sh) - top,
            (int)(xo * sw) - left, kh, kw, dh, dwl);
}

// Depthwise filter gradient (channel multiplier 1), any filter size: dw[r, s, c] = sum x[b, yo*sh - top + r*dh,
// xo*sw - left + s*dwl, c] * dy[b, yo, xo, c].
// 3x3 and 5x5 filters on channels in fours take dw_filter_grad_padded instead.
EXPORT(dw_filter_grad) void dw_filter_grad(const float* x, const float* dy, float* dw, u32 B, u32 H, u32 W, u32 C,
    u32 Ho, u32 Wo, u32 kh, u32 kw, u32 sh, u32 sw, u32 dh, u32 dwl, int top, int left) {
  for (u32 k = 0; k < kh * kw * C; k++) dw[k] = 0;
  for (u32 r = 0; r < kh; r++) {
    for (u32 s = 0; s < kw; s++) {
      float* acc = dw + (r * kw + s) * C;
      int shift = (int)(s * dwl) - left;
      int xo0 = 0, xo1 = (int)Wo;
      while (xo0 < xo1 && xo0 * (int)sw + shift < 0) xo0++;
      while (xo1 > xo0 && (xo1 - 1) * (int)sw + shift >= (int)W) xo1--;
      for (u32 b = 0; b < B; b++) {
        for (u32 yo = 0; yo < Ho; yo++) {
          int xr = (int)(yo * sh) - top + (int)(r * dh);
          if (xr < 0 || xr >= (int)H) continue;
          const float* xrow = x + ((b * H + (u32)xr) * W) * C;
          const float* dyrow = dy + ((b * Ho + yo) * Wo) * C;
          if (C % 4 == 0) {
            for (u32 c = 0; c < C; c += 4) {
              v128_t sum = wasm_f32x4_splat(0);
              for (int xo = xo0; xo < xo1; xo++) {
                v128_t xv = wasm_v128_load(xrow + (u32)(xo * (int)sw + shift) * C + c);
                sum = wasm_f32x4_add(sum, wasm_f32x4_mul(xv, wasm_v128_load(dyrow + (u32)xo * C + c)));
              }
              wasm_v128_store(acc + c, wasm_f32x4_add(wasm_v128_load(acc + c), sum));
            }
          } else {
            for (u32 c = 0; c < C; c++) {
              float sum = 0;
              for (int xo = xo0; xo < xo1; xo++)
                sum += xrow[(u32)(xo * (int)sw + shift) * C + c] * dyrow[(u32)xo * C + c];
              acc[c] += sum;
            }
          }
        }
      }
    }
  }
}
