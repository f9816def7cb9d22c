import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium.js';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'survey-e2e-'));

export default defineConfig({
	testDir: 'tests/e2e/specs',
	testMatch: '**/*.e2e.ts',
	forbidOnly: true,
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 15_000 },
	reporter: [['list']],
	outputDir: 'test-results',
	use: {
		baseURL: `http://localhost:${PORT}`,
		// Debian's Chromium: Playwright never downloads a browser here (TOOLCHAIN.md pitfall 1).
		launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
		viewport: { width: 1280, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	webServer: {
		// The production build, started as contract §4 says.
		command: `node ${process.env.BUILD_DIR ?? 'build'}`,
		url: `http://localhost:${PORT}/`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			ORIGIN: `http://localhost:${PORT}`,
			DATA_DIR: dataDir,
			SEED_DEMO: '1',
			BODY_SIZE_LIMIT: '25M'
		}
	}
});
