import { sveltekit } from '@sveltejs/kit/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium.js';

// Tests of browser-only modules (canvas, crypto.subtle, createImageBitmap) in Debian's
// Chromium: node has no canvas.
export default defineConfig({
	plugins: [sveltekit()],
	// Pre-bundled up front, so a fresh cache does not reload the page in the middle of a run.
	optimizeDeps: { include: ['exifr'] },
	test: {
		include: ['tests/browser/**/*.test.ts'],
		testTimeout: 60_000,
		browser: {
			enabled: true,
			headless: true,
			provider: playwright({
				launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }
			}),
			instances: [{ browser: 'chromium' }]
		}
	}
});
