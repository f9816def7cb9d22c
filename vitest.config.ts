import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Unit tests need only SvelteKit's aliases and the Svelte compiler (for *.svelte.ts runes);
// the PWA and i18n build plugins stay out (they keep watchers open after the run).
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node'
	}
});
