// The webgpu backend for tests: its adapter, or (in CI, where the software adapter must be installed) a
// failure that says what to install; elsewhere the tests that need it are skipped with the reason.
import { webGpuAdapter, WEBGPU_HELP } from '../../src/backend/webgpu.ts';

const { adapter, reason } = await webGpuAdapter();
if (!adapter && process.env.CI === 'true') {
  throw new Error(
    `CI=true and no WebGPU adapter: ${reason ?? WEBGPU_HELP} .ci/run installs mesa-vulkan-drivers from ` +
      `bookworm-backports.`,
  );
}

/** false when webgpu can run here; else the reason (for node:test's skip). */
export const noWebGpu: string | false = adapter ? false : `no WebGPU adapter: ${reason}`;
export const webgpuAdapter = adapter;
