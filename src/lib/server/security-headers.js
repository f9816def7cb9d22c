/**
 * The security headers of every response (issue 10 point 6), in one plain JavaScript module with
 * no imports: `hooks.server.ts` applies them to what SvelteKit answers, and the build copies this
 * file beside adapter-node's handler (`scripts/adapter.js`), which applies them to the static
 * files and prerendered pages that adapter-node serves before SvelteKit's hooks run.
 */

/**
 * The app's Content-Security-Policy: exactly what it needs. Its own scripts (SvelteKit adds the
 * hashes of its inline bootstrap), inline styles (Svelte and Leaflet set style attributes), images
 * from itself and from blob:/data: (photos, canvas), fetches to itself only. No tiles, no CDN,
 * and no page may frame it.
 * @type {Record<string, string[]>}
 */
export const CSP_DIRECTIVES = {
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
	'form-action': ['self'],
	'frame-ancestors': ['none']
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic']);

/**
 * The policy as a header value.
 * @param {Record<string, string[]>} directives
 */
export function cspText(directives) {
	return Object.entries(directives)
		.map(([name, values]) =>
			[name, ...values.map((v) => (KEYWORDS.has(v) ? `'${v}'` : v))].join(' ')
		)
		.join('; ');
}

/** Static files (scripts, styles, images, the service worker, data): the app's policy. */
export const STATIC_CSP = cspText(CSP_DIRECTIVES);

/** JSON and photo bytes: nothing in them may run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** @type {Record<string, string>} */
export const SECURITY_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
	// the field app itself uses the camera (file input) and the position; nothing else may
	'Permissions-Policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()'
};

/**
 * Sets the headers on a Node response before adapter-node's handler writes it. What the handler
 * sets later wins (SvelteKit's own CSP with its nonces and hashes on rendered pages); static
 * files and prerendered pages keep these. `prerendered` maps a prerendered page's path to its
 * policy (the one in its `<meta>` tag, plus `frame-ancestors`, which a meta tag cannot carry).
 * @param {{ setHeader(name: string, value: string): unknown }} res
 * @param {string} pathname
 * @param {Record<string, string>} prerendered
 */
export function setSecurityHeaders(res, pathname, prerendered) {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
	res.setHeader(
		'Content-Security-Policy',
		pathname.startsWith('/api/') ? API_CSP : (prerendered[pathname] ?? STATIC_CSP)
	);
}
