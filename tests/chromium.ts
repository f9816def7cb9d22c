/**
 * Debian's Chromium, as every browser test, script and benchmark of the project launches it.
 * Playwright never downloads a browser here (TOOLCHAIN.md pitfall 1); without the
 * background-networking flags Chromium keeps trying hosts this closed network refuses.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
