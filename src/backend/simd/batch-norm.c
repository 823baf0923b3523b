// Batch normalisation over [M, C]: statistics, the normalising pass and its gradient (ops/batch-norm.ts).
#include "simd.h"

// Per-channel sum and sum of squared deviations of x [M, C]; mean and var (population) out, C floats each.
EXPORT(bn_stats) void bn_stats(const float* x, u32 M, u32 C, float* mean, float* var) {
  for (u32 c = 0; c < C; c++) { mean[c] = 0; var[c] = 0; }
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      const float* row = x + m * C;
      for (u32 c = 0; c < C; c += 4) wasm_v128_store(mean + c, wasm_f32x4_add(wasm_v128_load(mean + c),
          wasm_v128_load(row + c)));
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
EXPORT(channel_affine) void channel_affine(const float* x, u32 M, u32 C, const float* shift, const float* scale,
    float* y) {
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      for (u32 c = 0; c < C; c += 4) {
        u32 i = m * C + c;
        wasm_v128_store(y + i, wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + i), wasm_v128_load(shift + c)),
            wasm_v128_load(scale + c)));
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
        wasm_v128_store(sdyx + c,
            wasm_f32x4_add(wasm_v128_load(sdyx + c), wasm_f32x4_mul(g, wasm_v128_load(xhat + i))));
      }
    }
  } else {
    for (u32 m = 0; m < M; m++)
      for (u32 c = 0; c < C; c++) { u32 i = m * C + c; sdy[c] += dy[i]; sdyx[c] += dy[i] * xhat[i]; }
  }
}

// dx = rstd * (dy - mdy - xhat * mdyx), per channel.
EXPORT(bn_grad_apply) void bn_grad_apply(const float* dy, const float* xhat, u32 M, u32 C, const float* rstd,
    const float* mdy, const float* mdyx, float* dx) {
  if (C % 4 == 0) {
    for (u32 m = 0; m < M; m++) {
      for (u32 c = 0; c < C; c += 4) {
        u32 i = m * C + c;
        v128_t t = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(dy + i), wasm_v128_load(mdy + c)),
            wasm_f32x4_mul(wasm_v128_load(xhat + i), wasm_v128_load(mdyx + c)));
        wasm_v128_store(dx + i, wasm_f32x4_mul(t, wasm_v128_load(rstd + c)));
      }
    }
  } else {
    for (u32 m = 0; m < M; m++)
      for (u32 c = 0; c < C; c++) { u32 i = m * C + c; dx[i] = rstd[c] * (dy[i] - mdy[c] - xhat[i] * mdyx[c]); }
  }
}
