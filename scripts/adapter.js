/**
 * adapter-node, plus the security headers on the responses it serves itself.
 *
 * adapter-node answers static files (`client/`) and prerendered pages (the field app's shell at
 * `/`) before SvelteKit runs, so `hooks.server.ts` never sees them and they would go out without
 * a Content-Security-Policy header (a `<meta>` policy cannot forbid framing). After adapter-node
 * has written the build, this renames its `handler.js` to `kit-handler.js` and puts a small
 * `handler.js` in front that sets the headers of `src/lib/server/security-headers.js` on every
 * response first; `node build` (its `index.js` imports `./handler.js`) and any custom server
 * that imports the handler get them alike. A prerendered page's header policy is the one its
 * `<meta>` tag carries (with the hashes of its inline scripts), plus `frame-ancestors 'none'`.
 */
import adapterNode from '@sveltejs/adapter-node';
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADERS_MODULE = new URL('../src/lib/server/security-headers.js', import.meta.url);

/** The front handler: headers first, then a JSON 413 for /api bodies over BODY_SIZE_LIMIT. */
const FRONT_HANDLER = `// Written by scripts/adapter.js: security headers on every response, then adapter-node.
import { readFileSync } from 'node:fs';
import { handler as kitHandler } from './kit-handler.js';
import { setSecurityHeaders } from './security-headers.js';

const prerendered = JSON.parse(readFileSync(new URL('./prerendered-csp.json', import.meta.url), 'utf8'));
const limit = bytes(process.env.BODY_SIZE_LIMIT ?? '512K');

function bytes(value) {
	const m = /^(\\d+(?:\\.\\d+)?)\\s*([KMG]?)B?$/i.exec(String(value).trim());
	if (!m) return Infinity;
	return Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase()];
}

export function handler(req, res, next) {
	const pathname = (req.url ?? '/').split('?')[0];
	setSecurityHeaders(res, pathname, prerendered);
	// adapter-node refuses such a body with a plain-text answer; the API speaks JSON (contract §3)
	if (pathname.startsWith('/api/') && Number(req.headers['content-length']) > limit) {
		res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
		res.end(JSON.stringify({ error: \`请求体超过服务器上限（\${process.env.BODY_SIZE_LIMIT ?? '512K'}）：请分批发送\` }));
		return;
	}
	return kitHandler(req, res, next);
}
`;

/** The policy of a prerendered page's `<meta http-equiv="content-security-policy">`, if any. */
function metaPolicy(html) {
	const tag = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"/i.exec(html);
	if (!tag) return undefined;
	return tag[1]
		.replaceAll('&quot;', '"')
		.replaceAll('&#39;', "'")
		.replaceAll('&lt;', '<')
		.replaceAll('&gt;', '>')
		.replaceAll('&amp;', '&');
}

/** @param {import('@sveltejs/adapter-node').AdapterOptions} options */
export default function adapter(options = {}) {
	const node = adapterNode(options);
	const out = options.out ?? 'build';
	return {
		...node,
		name: 'adapter-node+security-headers',
		async adapt(builder) {
			await node.adapt(builder);
			renameSync(join(out, 'handler.js'), join(out, 'kit-handler.js'));
			if (existsSync(join(out, 'handler.js.map'))) {
				renameSync(join(out, 'handler.js.map'), join(out, 'kit-handler.js.map'));
				const kit = join(out, 'kit-handler.js');
				writeFileSync(
					kit,
					readFileSync(kit, 'utf8').replace(
						'sourceMappingURL=handler.js.map',
						'sourceMappingURL=kit-handler.js.map'
					)
				);
			}
			copyFileSync(HEADERS_MODULE, join(out, 'security-headers.js'));
			/** @type {Record<string, string>} */
			const policies = {};
			for (const [path, { file }] of builder.prerendered.pages) {
				const html = readFileSync(join(out, 'prerendered', file), 'utf8');
				const policy = metaPolicy(html);
				if (!policy) throw new Error(`prerendered page ${path} has no CSP meta tag`);
				policies[path] = /frame-ancestors/.test(policy)
					? policy
					: `${policy.replace(/;\s*$/, '')}; frame-ancestors 'none'`;
			}
			writeFileSync(join(out, 'prerendered-csp.json'), JSON.stringify(policies, null, '\t'));
			writeFileSync(join(out, 'handler.js'), FRONT_HANDLER);
			const index = join(out, 'index.js');
			const entry = readFileSync(index, 'utf8');
			const use = 'polka({ server: httpServer }).use(handler)';
			if (!entry.includes(use)) {
				throw new Error(`${index}: "${use}" not found; the security headers would be lost`);
			}
			writeFileSync(
				index,
				`import { handler as secureHandler } from './handler.js';\n${entry.replace(use, 'polka({ server: httpServer }).use(secureHandler)')}`
			);
			builder.log.minor(`Security headers in front of the handler (${out}/handler.js)`);
		}
	};
}
