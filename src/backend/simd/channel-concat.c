// Concatenation along channels and its split (kernels/channel-concat.ts, ops/concat-channels.ts).
#include "simd.h"

// out[m, offset : offset + w] = part[m, :] for a part of width w of a row width `total`.
EXPORT(copy_into_columns) void copy_into_columns(const float* part, float* out, u32 M, u32 w, u32 total, u32 offset) {
  for (u32 m = 0; m < M; m++) __builtin_memcpy(out + m * total + offset, part + m * w, w * sizeof(float));
}

EXPORT(copy_from_columns) void copy_from_columns(const float* x, float* part, u32 M, u32 w, u32 total, u32 offset) {
  for (u32 m = 0; m < M; m++) __builtin_memcpy(part + m * w, x + m * total + offset, w * sizeof(float));
}
