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
		paths: { relative: false },
		// Exactly what the app needs: its own scripts (SvelteKit hashes the inline bootstrap),
		// inline styles (Svelte and Leaflet set style attributes), images from itself and from
		// blob:/data: (photos, canvas), fetches to itself only. No tiles, no CDN.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
