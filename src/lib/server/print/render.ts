/**
 * The server's own Chromium (Debian's, driven by playwright-core) printing pages of this server
 * to PDF as a signed-in user: the pages are asked for over loopback with that user's session
 * cookie, so each goes through the same login and county scope as in the user's own browser.
 */
import { access, constants, readdir, readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SESSION_COOKIE } from '../auth/session.js';

/** Debian's Chromium unless CHROMIUM_PATH says otherwise (as the tests and the bench use it). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps trying hosts a closed network refuses. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** One form page took longer than this to load: the job fails rather than hang. */
const PAGE_TIMEOUT_MS = 60_000;

/** Whether the Chromium at `path` is there to run. */
export async function chromiumInstalled(path: string): Promise<boolean> {
	return access(path, constants.X_OK).then(
		() => true,
		() => false
	);
}

/**
 * The address the server's own Chromium opens pages at: `PRINT_URL` when set, otherwise the
 * loopback address of the port adapter-node listens on (PORT, HOST). Undefined when the server
 * listens on a socket path and no PRINT_URL is given.
 */
export function loopbackUrl(env: Record<string, string | undefined>): string | undefined {
	if (env.PRINT_URL) return env.PRINT_URL.replace(/\/+$/, '');
	if (env.SOCKET_PATH) return undefined;
	const port = env.PORT || '3000';
	const host = (env.HOST ?? '').trim();
	let address: string;
	if (host === '' || host === '0.0.0.0' || host === '::' || host === '[::]') address = '127.0.0.1';
	else if (host.includes(':') && !host.startsWith('[')) address = `[${host}]`;
	else address = host;
	return `http://${address}:${port}`;
}

/** A page of the form did not come as it should (logged out, out of scope, an error page). */
export class PageError extends Error {}

/**
 * One Chromium with two pages, signed in as the user whose session token it was given: while one
 * page prints a form, the other loads the next.
 */
export class FormRenderer {
	#closed = false;

	private constructor(
		readonly baseUrl: string,
		private readonly browser: Browser,
		private readonly pages: readonly Page[]
	) {}

	static async launch(options: {
		executablePath: string;
		baseUrl: string;
		token: string;
	}): Promise<FormRenderer> {
		const browser = await chromium.launch({
			executablePath: options.executablePath,
			args: CHROMIUM_ARGS,
			// the server decides when its Chromium ends (SurveyServer.close), not a signal handler
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
			timeout: 30_000
		});
		try {
			await lowerPriority();
			// the form is server-rendered: without scripts no app code loads or hydrates per page
			const context = await browser.newContext({
				javaScriptEnabled: false,
				locale: 'zh-CN',
				timezoneId: 'Asia/Shanghai',
				serviceWorkers: 'block'
			});
			await context.addCookies([
				{
					name: SESSION_COOKIE,
					value: options.token,
					url: options.baseUrl,
					httpOnly: true,
					sameSite: 'Lax'
				}
			]);
			const pages = [await context.newPage(), await context.newPage()];
			return new FormRenderer(options.baseUrl, browser, pages);
		} catch (error) {
			await browser.close().catch(() => undefined);
			throw error;
		}
	}

	/**
	 * Loads `path` in page `slot` (0 or 1). It MUST answer 200 at that very path (a redirect to
	 * the login page, or any other status, is a PageError) and hold `marker`.
	 */
	async load(slot: number, path: string, marker: string): Promise<void> {
		const page = this.pages[slot % this.pages.length]!;
		const response = await page.goto(`${this.baseUrl}${path}`, {
			waitUntil: 'load',
			timeout: PAGE_TIMEOUT_MS
		});
		const status = response?.status() ?? 0;
		const landed = new URL(page.url()).pathname;
		if (status !== 200 || landed !== path) {
			throw new PageError(
				landed !== path && landed.startsWith('/review/login')
					? '登录已失效：请重新登录后再生成'
					: `${path} 答复 ${status}`
			);
		}
		if ((await page.locator(marker).count()) !== 1) {
			throw new PageError(`${path} 不是登记表页面`);
		}
	}

	/** Page `slot` as Chromium prints it: A4 unless its `@page` says otherwise, with backgrounds. */
	print(slot: number): Promise<Buffer> {
		const page = this.pages[slot % this.pages.length]!;
		return page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.browser.close().catch(() => undefined);
	}
}

/**
 * Puts this process's Chromium (every process and thread under its children that Playwright
 * launched) at a low CPU priority (nice 10), so on a small server the reviewers' requests and the
 * sync go first and the print takes what is left. Linux only; elsewhere, or without /proc, nothing.
 */
async function lowerPriority(): Promise<void> {
	try {
		const parents = new Map<number, number>();
		for (const entry of await readdir('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
			// pid (comm) state ppid …: the command may hold spaces and parentheses
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid > 0) parents.set(Number(entry), ppid);
		}
		const tree = new Set<number>();
		let grew = true;
		while (grew) {
			grew = false;
			for (const [pid, ppid] of parents) {
				if (tree.has(pid)) continue;
				if (ppid === process.pid ? await isChromium(pid) : tree.has(ppid)) {
					tree.add(pid);
					grew = true;
				}
			}
		}
		for (const pid of tree) {
			for (const task of await readdir(`/proc/${pid}/task`).catch(() => [])) {
				try {
					setPriority(Number(task), 10);
				} catch {
					// gone, or not ours: leave it
				}
			}
		}
	} catch {
		// no /proc: the print runs at the server's priority
	}
}

/** Whether process `pid` is a Chromium that Playwright drives (over a pipe). */
async function isChromium(pid: number): Promise<boolean> {
	const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
	return cmdline.includes('--remote-debugging-pipe');
}
