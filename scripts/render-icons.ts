/**
 * Renders the app icons (PNG) from static/favicon.svg with Debian's Chromium.
 * Run once after changing the SVG: `npx tsx scripts/render-icons.ts`. The PNGs are committed.
 */
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.js';

const svg = readFileSync('static/favicon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage();
for (const [file, size, pad] of [
	['icon-192.png', 192, 0],
	['icon-512.png', 512, 0],
	['icon-maskable-512.png', 512, 0.12]
] as const) {
	await page.setViewportSize({ width: size, height: size });
	const inner = Math.round(size * (1 - 2 * pad));
	await page.setContent(
		`<body style="margin:0;background:#7a2e1d;display:grid;place-items:center;height:${size}px">` +
			`<div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body>`
	);
	await page.screenshot({ path: `static/icons/${file}`, omitBackground: false });
}
await browser.close();
console.log('icons written to static/icons');
