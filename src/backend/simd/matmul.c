// Matrix products for the 1x1 convolution and recurrent matrices (kernels/matmul.ts, ops/linear.ts).
#include "simd.h"

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
        for (u32 o = 0; o < Co; o += 4) wasm_v128_store(row + o, wasm_f32x4_add(wasm_v128_load(row + o),
            wasm_f32x4_mul(xi, wasm_v128_load(g + o))));
      }
    }
    return;
  }
  for (u32 m = 0; m < M; m++)
    for (u32 i = 0; i < Ci; i++)
      for (u32 o = 0; o < Co; o++) dw[i * Co + o] += x[m * Ci + i] * dy[m * Co + o];
}

// Y [M, N] = X [M, K] * W [K, N] for a W that stays in cache (a 1x1 convolution over pixels, an RNN's
// recurrent matrix): blocks of 4 rows x 8 columns keep their sums in registers through K, and every block
// reads all of W. About 45-52 GFLOP/s on one core here, where XNNPACK's general matmul reaches 30-40.
static inline void row_times_w(const float* xr, const float* w, float* yr, u32 K, u32 N, u32 o) {
  for (; o + 4 <= N; o += 4) {
    v128_t a = wasm_f32x4_splat(0);
    for (u32 k = 0; k < K; k++)
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xr[k]), wasm_v128_load(w + k * N + o)));
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
