import adapter from './scripts/adapter.js';
import { CSP_DIRECTIVES } from './src/lib/server/security-headers.js';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// BUILD_DIR / KIT_OUT_DIR let two builds run side by side (parallel work, benches).
		adapter: adapter({ out: process.env.BUILD_DIR ?? 'build' }),
		outDir: process.env.KIT_OUT_DIR ?? '.svelte-kit',
		// The PWA plugin generates the one service worker (TOOLCHAIN.md pitfall 6).
		serviceWorker: { register: false },
		// Absolute asset paths: the prerendered shell is served for every field route offline.
		paths: { relative: false },
		// The app's policy (src/lib/server/security-headers.js): SvelteKit adds the nonces and
		// hashes, puts it in a header on rendered pages and in a <meta> tag on prerendered ones,
		// and scripts/adapter.js puts it in a header on those and on static files too.
		csp: { mode: 'auto', directives: CSP_DIRECTIVES },
		// Every state-changing request is checked in hooks.server.ts (Origin, whatever its
		// content type, with the contract's JSON error on /api): SvelteKit's own check covers
		// form content types only and answers in plain text.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
