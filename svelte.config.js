import adapter from '@sveltejs/adapter-node';
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
		paths: { relative: false }
	}
};

export default config;
