// SIMD (wasm simd128) kernels that run inside the memory of tfjs' wasm backend: every pointer is an offset
// into that heap, so tensors are read and written in place. No globals, no libc, no stack arrays: this
// module must not touch memory it was not handed. Built by build.sh into kernels.wasm.
#include <wasm_simd128.h>

typedef unsigned int u32;
#define EXPORT(name) __attribute__((export_name(#name)))

// Per-channel sum and sum of squared deviations of x [M, C]; mean and var (population) out, C floats each.
EXPORT(bn_stats) void bn_stats(const float* x, u32 M, u32 C, float* mean, float* var) {
  for (u32 c = 0; c < C; c++) { mean[c] = 0; var[c] = 0; }
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      const float* row = x + m * C;
      for (u32 c = 0; c < C; c += 4) wasm_v128_store(mean + c, wasm_f32x4_add(wasm_v128_load(mean + c), wasm_v128_load(row + c)));
    }
  } else {
    for (u32 m = 0; m < M; m++) for (u32 c = 0; c < C; c++) mean[c] += x[m * C + c];
  }
  for (u32 c = 0; c < C; c++) mean[c] /= (float)M;
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      const float* row = x + m * C;
      for (u32 c = 0; c < C; c += 4) {
        v128_t d = wasm_f32x4_sub(wasm_v128_load(row + c), wasm_v128_load(mean + c));
        wasm_v128_store(var + c, wasm_f32x4_add(wasm_v128_load(var + c), wasm_f32x4_mul(d, d)));
      }
    }
  } else {
    for (u32 m = 0; m < M; m++) for (u32 c = 0; c < C; c++) { float d = x[m * C + c] - mean[c]; var[c] += d * d; }
  }
  for (u32 c = 0; c < C; c++) var[c] /= (float)M;
}

// y = (x - shift) * scale per channel.
EXPORT(channel_affine) void channel_affine(const float* x, u32 M, u32 C, const float* shift, const float* scale, float* y) {
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      for (u32 c = 0; c < C; c += 4) {
        u32 i = m * C + c;
        wasm_v128_store(y + i, wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + i), wasm_v128_load(shift + c)), wasm_v128_load(scale + c)));
      }
    }
  } else {
    for (u32 m = 0; m < M; m++) for (u32 c = 0; c < C; c++) { u32 i = m * C + c; y[i] = (x[i] - shift[c]) * scale[c]; }
  }
}

// Per-channel sums of dy and dy * xhat over M rows.
EXPORT(bn_grad_sums) void bn_grad_sums(const float* dy, const float* xhat, u32 M, u32 C, float* sdy, float* sdyx) {
  for (u32 c = 0; c < C; c++) { sdy[c] = 0; sdyx[c] = 0; }
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      for (u32 c = 0; c < C; c += 4) {
        u32 i = m * C + c;
        v128_t g = wasm_v128_load(dy + i);
        wasm_v128_store(sdy + c, wasm_f32x4_add(wasm_v128_load(sdy + c), g));
        wasm_v128_store(sdyx + c, wasm_f32x4_add(wasm_v128_load(sdyx + c), wasm_f32x4_mul(g, wasm_v128_load(xhat + i))));
      }
    }
  } else {
    for (u32 m = 0; m < M; m++) for (u32 c = 0; c < C; c++) { u32 i = m * C + c; sdy[c] += dy[i]; sdyx[c] += dy[i] * xhat[i]; }
  }
}

// dx = rstd * (dy - mdy - xhat * mdyx), per channel.
EXPORT(bn_grad_apply) void bn_grad_apply(const float* dy, const float* xhat, u32 M, u32 C, const float* rstd, const float* mdy, const float* mdyx, float* dx) {
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      for (u32 c = 0; c < C; c += 4) {
        u32 i = m * C + c;
        v128_t t = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(dy + i), wasm_v128_load(mdy + c)), wasm_f32x4_mul(wasm_v128_load(xhat + i), wasm_v128_load(mdyx + c)));
        wasm_v128_store(dx + i, wasm_f32x4_mul(t, wasm_v128_load(rstd + c)));
      }
    }
  } else {
    for (u32 m = 0; m < M; m++) for (u32 c = 0; c < C; c++) { u32 i = m * C + c; dx[i] = rstd[c] * (dy[i] - mdy[c] - xhat[i] * mdyx[c]); }
  }
}

// x [B, H, W, C] into xp [B, Hp, Wp, C] at row top and column left, zeros around it (Hp >= H + top,
// Wp >= W + left): a padded copy lets the depthwise kernels below run without any bounds tests.
EXPORT(pad_copy) void pad_copy(const float* x, float* xp, u32 B, u32 H, u32 W, u32 C, u32 top, u32 left, u32 Hp, u32 Wp) {
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
static inline __attribute__((always_inline)) void dw_conv_padded_k(const u32 K, const float* xp, const float* f, float* y, u32 B, u32 Hp, u32 Wp,
                                                                 u32 C, u32 Ho, u32 Wo, u32 sh, u32 sw, u32 dh, u32 dwl) {
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
            for (u32 s = r == 0 ? 1 : 0; s < K; s++) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(p + r * rowStep + s * tap), w[r * K + s]));
          wasm_v128_store(yrow + xo * C + c, a);
        }
      }
    }
  }
}

EXPORT(dw_conv_padded) void dw_conv_padded(const float* xp, const float* f, float* y, u32 B, u32 Hp, u32 Wp, u32 C, u32 Ho, u32 Wo,
                                           u32 k, u32 sh, u32 sw, u32 dh, u32 dwl) {
  if (k == 3) dw_conv_padded_k(3, xp, f, y, B, Hp, Wp, C, Ho, Wo, sh, sw, dh, dwl);
  else dw_conv_padded_k(5, xp, f, y, B, Hp, Wp, C, Ho, Wo, sh, sw, dh, dwl);
}

// The filter gradient of the same correlation: df[r, s, c] = sum xp[b, yo*sh + r*dh, xo*sw + s*dwl, c] * dy[b, yo, xo, c].
// Along each row of outputs, one tap row's K sums stay in registers and each dy vector is loaded once per tap row.
static inline __attribute__((always_inline)) void dw_filter_grad_padded_k(const u32 K, const float* xp, const float* dy, float* df, u32 B, u32 Hp,
                                                                        u32 Wp, u32 C, u32 Ho, u32 Wo, u32 sh, u32 sw, u32 dh, u32 dwl) {
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
          for (u32 s = 0; s < K; s++) wasm_v128_store(df + (r * K + s) * C + c, wasm_f32x4_add(wasm_v128_load(df + (r * K + s) * C + c), a[s]));
        }
      }
    }
  }
}

EXPORT(dw_filter_grad_padded) void dw_filter_grad_padded(const float* xp, const float* dy, float* df, u32 B, u32 Hp, u32 Wp, u32 C, u32 Ho,
                                                         u32 Wo, u32 k, u32 sh, u32 sw, u32 dh, u32 dwl) {
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
        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(x + ((b * H + (u32)xr) * W + (u32)q) * C + c), wasm_v128_load(f + (r * kw + s) * C + c)));
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
        dw_conv_pixel(x, f, y + ((b * Ho + yo) * Wo + xo) * C, b, H, W, C, (int)(yo * sh) - top, (int)(xo * sw) - left, kh, kw, dh, dwl);
}

// Depthwise filter gradient (channel multiplier 1), any filter size: dw[r, s, c] = sum x[b, yo*sh - top + r*dh, xo*sw - left + s*dwl, c] * dy[b, yo, xo, c].
// 3x3 and 5x5 filters on channels in fours take dw_filter_grad_padded instead.
EXPORT(dw_filter_grad) void dw_filter_grad(const float* x, const float* dy, float* dw, u32 B, u32 H, u32 W, u32 C, u32 Ho, u32 Wo,
                                           u32 kh, u32 kw, u32 sh, u32 sw, u32 dh, u32 dwl, int top, int left) {
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
                sum = wasm_f32x4_add(sum, wasm_f32x4_mul(wasm_v128_load(xrow + (u32)(xo * (int)sw + shift) * C + c), wasm_v128_load(dyrow + (u32)xo * C + c)));
              }
              wasm_v128_store(acc + c, wasm_f32x4_add(wasm_v128_load(acc + c), sum));
            }
          } else {
            for (u32 c = 0; c < C; c++) {
              float sum = 0;
              for (int xo = xo0; xo < xo1; xo++) sum += xrow[(u32)(xo * (int)sw + shift) * C + c] * dyrow[(u32)xo * C + c];
              acc[c] += sum;
            }
          }
        }
      }
    }
  }
}

// Gradient of 3x3 max pooling with padding 1: each output's gradient goes to the first maximum of its window.
// Four channels at a time: a running maximum and the pixel index it came from, per lane.
EXPORT(max_pool3_grad) void max_pool3_grad(const float* x, const float* dy, float* dx, u32 B, u32 H, u32 W, u32 C, u32 Ho, u32 Wo, u32 stride) {
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

// out[m, offset : offset + w] = part[m, :] for a part of width w of a row width `total`.
EXPORT(copy_into_columns) void copy_into_columns(const float* part, float* out, u32 M, u32 w, u32 total, u32 offset) {
  for (u32 m = 0; m < M; m++) __builtin_memcpy(out + m * total + offset, part + m * w, w * sizeof(float));
}

EXPORT(copy_from_columns) void copy_from_columns(const float* x, float* part, u32 M, u32 w, u32 total, u32 offset) {
  for (u32 m = 0; m < M; m++) __builtin_memcpy(part + m * w, x + m * total + offset, w * sizeof(float));
}

// dW [Ci, Co] = X^T [Ci, M] * dY [M, Co] without forming the transpose. Blocks of 4 input x 8 output
// channels keep their sums in registers through all M rows.
EXPORT(matmul_at_b) void matmul_at_b(const float* x, const float* dy, float* dw, u32 M, u32 Ci, u32 Co) {
  if (Ci % 4 == 0 && Co % 8 == 0) {
    // Rows in chunks that stay in cache while every block of sums passes over them.
    const u32 CHUNK = 256;
    __builtin_memset(dw, 0, Ci * Co * sizeof(float));
    for (u32 m0 = 0; m0 < M; m0 += CHUNK) {
      u32 m1 = m0 + CHUNK < M ? m0 + CHUNK : M;
      for (u32 i = 0; i < Ci; i += 4) {
        for (u32 o = 0; o < Co; o += 8) {
          v128_t a[8];
          for (u32 k = 0; k < 4; k++) {
            a[2 * k] = wasm_v128_load(dw + (i + k) * Co + o);
            a[2 * k + 1] = wasm_v128_load(dw + (i + k) * Co + o + 4);
          }
          for (u32 m = m0; m < m1; m++) {
            const float* xr = x + m * Ci + i;
            v128_t g0 = wasm_v128_load(dy + m * Co + o), g1 = wasm_v128_load(dy + m * Co + o + 4);
            for (u32 k = 0; k < 4; k++) {
              v128_t xi = wasm_f32x4_splat(xr[k]);
              a[2 * k] = wasm_f32x4_add(a[2 * k], wasm_f32x4_mul(xi, g0));
              a[2 * k + 1] = wasm_f32x4_add(a[2 * k + 1], wasm_f32x4_mul(xi, g1));
            }
          }
          for (u32 k = 0; k < 4; k++) {
            wasm_v128_store(dw + (i + k) * Co + o, a[2 * k]);
            wasm_v128_store(dw + (i + k) * Co + o + 4, a[2 * k + 1]);
          }
        }
      }
    }
    return;
  }
  for (u32 k = 0; k < Ci * Co; k++) dw[k] = 0;
  if (Co % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      const float* g = dy + m * Co;
      for (u32 i = 0; i < Ci; i++) {
        v128_t xi = wasm_f32x4_splat(x[m * Ci + i]);
        float* row = dw + i * Co;
        for (u32 o = 0; o < Co; o += 4) wasm_v128_store(row + o, wasm_f32x4_add(wasm_v128_load(row + o), wasm_f32x4_mul(xi, wasm_v128_load(g + o))));
      }
    }
    return;
  }
  for (u32 m = 0; m < M; m++) for (u32 i = 0; i < Ci; i++) for (u32 o = 0; o < Co; o++) dw[i * Co + o] += x[m * Ci + i] * dy[m * Co + o];
}

// Y [M, N] = X [M, K] * W [K, N] for a W that stays in cache (a 1x1 convolution over pixels, an RNN's
// recurrent matrix): blocks of 4 rows x 8 columns keep their sums in registers through K, and every block
// reads all of W. About 45-52 GFLOP/s on one core here, where XNNPACK's general matmul reaches 30-40.
static inline void row_times_w(const float* xr, const float* w, float* yr, u32 K, u32 N, u32 o) {
  for (; o + 4 <= N; o += 4) {
    v128_t a = wasm_f32x4_splat(0);
    for (u32 k = 0; k < K; k++) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xr[k]), wasm_v128_load(w + k * N + o)));
    wasm_v128_store(yr + o, a);
  }
  for (; o < N; o++) {
    float a = 0;
    for (u32 k = 0; k < K; k++) a += xr[k] * w[k * N + o];
    yr[o] = a;
  }
}

EXPORT(matmul_a_b) void matmul_a_b(const float* x, const float* w, float* y, u32 M, u32 K, u32 N) {
  u32 N8 = N - N % 8, m = 0;
  for (; m + 4 <= M; m += 4) {
    const float* x0 = x + m * K;
    const float *x1 = x0 + K, *x2 = x1 + K, *x3 = x2 + K;
    float* y0 = y + m * N;
    for (u32 o = 0; o < N8; o += 8) {
      v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (u32 k = 0; k < K; k++) {
        v128_t w0 = wasm_v128_load(w + k * N + o), w1 = wasm_v128_load(w + k * N + o + 4);
        v128_t s = wasm_f32x4_splat(x0[k]);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, w0)); a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, w1));
        s = wasm_f32x4_splat(x1[k]);
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, w0)); a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, w1));
        s = wasm_f32x4_splat(x2[k]);
        a4 = wasm_f32x4_add(a4, wasm_f32x4_mul(s, w0)); a5 = wasm_f32x4_add(a5, wasm_f32x4_mul(s, w1));
        s = wasm_f32x4_splat(x3[k]);
        a6 = wasm_f32x4_add(a6, wasm_f32x4_mul(s, w0)); a7 = wasm_f32x4_add(a7, wasm_f32x4_mul(s, w1));
      }
      wasm_v128_store(y0 + o, a0); wasm_v128_store(y0 + o + 4, a1);
      wasm_v128_store(y0 + N + o, a2); wasm_v128_store(y0 + N + o + 4, a3);
      wasm_v128_store(y0 + 2 * N + o, a4); wasm_v128_store(y0 + 2 * N + o + 4, a5);
      wasm_v128_store(y0 + 3 * N + o, a6); wasm_v128_store(y0 + 3 * N + o + 4, a7);
    }
    for (u32 r = 0; r < 4; r++) row_times_w(x0 + r * K, w, y0 + r * N, K, N, N8);
  }
  for (; m < M; m++) row_times_w(x + m * K, w, y + m * N, K, N, 0);
}

// A convolution's input patches for its filter gradient: row m (an output pixel) holds the pixel's
// kh x kw x Ci taps in the filter's layout, zero in the padding, then zeros up to Kp columns.
EXPORT(patches) void patches(const float* x, float* cols, u32 B, u32 H, u32 W, u32 Ci, u32 Ho, u32 Wo, u32 kh, u32 kw, u32 sh, u32 sw,
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
        if (r < H && q < W) __builtin_memcpy(dx + ((b * H + r) * W + q) * C, dy + ((b * Ho + i) * Wo + j) * C, C * sizeof(float));
      }
    }
  }
}

// Sum of squares of n floats (for the global gradient norm).
EXPORT(sum_squares) float sum_squares(const float* g, u32 n) {
  v128_t acc = wasm_f32x4_splat(0);
  u32 i = 0;
  for (; i + 4 <= n; i += 4) { v128_t v = wasm_v128_load(g + i); acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v, v)); }
  float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
  for (; i < n; i++) s += g[i] * g[i];
  return s;
}

// One SGD step, as torch.optim.SGD after clipping: d = g * scale + wd * w; buf = mu * buf + d;
// d = nesterov ? d + mu * buf : buf; w_out = w - lr * d. The momentum buffer is updated in place; the new
// weight goes to a fresh tensor (XNNPACK caches packed weights by tensor, so weights must not change in place).
// Without momentum (mu = 0) buf is neither read nor written (it may be 0).
EXPORT(sgd_update) void sgd_update(const float* w, const float* g, float* buf, float* out, u32 n, float lr, float mu, float wd, float scale, u32 nesterov) {
  v128_t vlr = wasm_f32x4_splat(lr), vmu = wasm_f32x4_splat(mu), vwd = wasm_f32x4_splat(wd), vs = wasm_f32x4_splat(scale);
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

// ReLU gradient from the output: dx = y > 0 ? dy : 0.
EXPORT(relu_grad) void relu_grad(const float* y, const float* dy, float* dx, u32 n) {
  v128_t zero = wasm_f32x4_splat(0);
  u32 i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dx + i, wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(wasm_v128_load(y + i), zero)));
  for (; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

// exp(x) for x <= 0 on 4 lanes: x = n ln2 + r, |r| <= ln2/2, exp(r) by its degree-6 Taylor polynomial
// (relative error below 2e-7), 2^n put into the exponent bits. Inputs below -87 give 0.
static inline v128_t exp_nonpositive(v128_t x) {
  x = wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504f)));
  v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693145752f))), wasm_f32x4_mul(n, wasm_f32x4_splat(1.42860677e-6f)));
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
    float sum = wasm_f32x4_extract_lane(s4, 0) + wasm_f32x4_extract_lane(s4, 1) + wasm_f32x4_extract_lane(s4, 2) + wasm_f32x4_extract_lane(s4, 3);
    for (u32 k = V4; k < V; k++) sum += out[k] = wasm_f32x4_extract_lane(exp_nonpositive(wasm_f32x4_splat(row[k] - max)), 0);
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
EXPORT(softmax_xent_grad) void softmax_xent_grad(const float* p, const int* labels, float* g, u32 N, u32 V, float scale) {
  u32 n = N * V, n4 = n & ~3u;
  v128_t s = wasm_f32x4_splat(scale);
  for (u32 k = 0; k < n4; k += 4) wasm_v128_store(g + k, wasm_f32x4_mul(wasm_v128_load(p + k), s));
  for (u32 k = n4; k < n; k++) g[k] = p[k] * scale;
  for (u32 r = 0; r < N; r++) g[r * V + labels[r]] -= scale;
}
