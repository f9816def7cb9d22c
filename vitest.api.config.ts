import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// API tests against the production build, started as a real process (tests/api/harness.ts).
// Each file starts its own server on its own port and data directory; files run one at a time
// so timing-sensitive checks (login limits, paging) don't compete for the CPU.
export default defineConfig({
	resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
	test: {
		include: ['tests/api/**/*.test.ts'],
		environment: 'node',
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 120_000
	}
});
