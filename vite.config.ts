import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

// Where SvelteKit writes its output (KIT_OUT_DIR lets two builds run side by side); the PWA
// plugin must read and write the same place, or the service worker is lost from the build.
const kitOutDir = process.env.KIT_OUT_DIR ?? '.svelte-kit';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit(),
		SvelteKitPWA({
			kit: { outDir: kitOutDir },
			outDir: `${kitOutDir}/output`,
			// A new version is offered, never forced: the surveyor applies it when no form is open.
			registerType: 'prompt',
			injectRegister: false,
			strategies: 'generateSW',
			manifest: {
				name: '四普田野调查 · 鄂尔多斯',
				short_name: '四普调查',
				description: '第四次全国文物普查 鄂尔多斯市 田野调查（离线可用）',
				lang: 'zh-CN',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				orientation: 'any',
				background_color: '#f3f1ec',
				theme_color: '#7a2e1d',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icons/icon-maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			workbox: {
				// With `outDir` set above, the SW must still be generated where the plugin's
				// SvelteKit step picks it up (beside the server output) and moves it to the client.
				swDest: `${kitOutDir}/output/server/sw.js`,
				globPatterns: [
					'client/**/*.{js,css,ico,png,svg,webp,woff2,webmanifest}',
					'client/data/*.{json,geojson}',
					'prerendered/**/*.html'
				],
				// Every field route is served from the prerendered shell when offline.
				navigateFallback: '/',
				navigateFallbackDenylist: [/^\/api\//, /^\/review(\/|$)/, /^\/registry(\/|$)/],
				clientsClaim: true,
				cleanupOutdatedCaches: true,
				// The demo registry of 20,000 sites stays out; the 959 of the demo fit.
				maximumFileSizeToCacheInBytes: 16 * 1024 * 1024
			}
		})
	]
});
