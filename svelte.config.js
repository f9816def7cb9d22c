import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		// The PWA plugin generates the one service worker (TOOLCHAIN.md pitfall 6).
		serviceWorker: { register: false },
		// Absolute asset paths: the prerendered shell is served for every field route offline.
		paths: { relative: false }
	}
};

export default config;
