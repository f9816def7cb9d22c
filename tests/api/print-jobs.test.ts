/**
 * Batch print of a county's registration forms (issue 14 point 1; contract §3 "Batch print"):
 * who may start one and for which county, bad input, the Origin check, only the owner reads a
 * job and its PDF, one job at a time per user, cancel; a small batch's PDF holds exactly the
 * single forms' pages, each site's code, in code order, with a bookmark per form; and a server
 * stopped mid-job ends its Chromium and exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { PDFDict, PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { countyName } from '$lib/domain/codelists/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import { PrintJobSchema, type PrintJob } from '$lib/domain/sync/wire.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.js';
import { destination } from '../fixtures/geo.js';
import { newFind, recheckOf, TestServer, type ApiResponse, type Session } from './harness.js';

const COUNTY = '150622';
const OTHER = '150623';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TestServer;
let city: Session;
let reviewer: Session;
let surveyor: string;
/** Accepted (the default print): four re-checks and a new find. */
let rechecks: SurveyRecord[];
let find: SurveyRecord;
/** Pushed only (submitted). */
let submitted: SurveyRecord;
let work: string;

beforeAll(async () => {
	server = await TestServer.start();
	work = mkdtempSync(join(tmpdir(), 'print-jobs-'));
	city = await server.login('city');
	reviewer = await server.login(`reviewer-${COUNTY}`);
	surveyor = await server.as(`surveyor-${COUNTY}`);
	const sites = (await server.sites(COUNTY)).slice(0, 5);
	const photos = async () => server.uploadPhotos(surveyor, 2);
	rechecks = [];
	for (const site of sites.slice(0, 4)) rechecks.push(recheckOf(site, await photos()));
	find = newFind(COUNTY, destination(sites[0]!.location, 3000, 45), await photos(), {
		name: '批量打印测试新发现墓葬'
	});
	await server.acceptRecords(COUNTY, [...rechecks, find], '批量打印测试：同意');
	submitted = recheckOf(sites[4]!, await photos());
	const pushed = await server.push(surveyor, [submitted]);
	expect(pushed[0]!.status).toBe('accepted');
}, 120_000);

afterAll(async () => {
	await server?.stop();
	rmSync(work, { recursive: true, force: true });
});

function expectError(response: ApiResponse, status: number, text?: RegExp) {
	expect(response.status, response.text).toBe(status);
	const body = response.json as { error: string };
	expect(body.error).toMatch(/[\u4e00-\u9fff]/);
	if (text) expect(body.error).toMatch(text);
}

const start = (token: string, body: unknown) =>
	server.request('POST', '/api/review/print-jobs', { token, json: body });
const job = (token: string, id: string) => server.get(`/api/review/print-jobs/${id}`, token);
const remove = (token: string, id: string) =>
	server.request('DELETE', `/api/review/print-jobs/${id}`, { token });

/** Polls a job until it has ended; returns it and every `done` seen on the way. */
async function finished(token: string, id: string): Promise<{ job: PrintJob; seen: number[] }> {
	const seen: number[] = [];
	const deadline = Date.now() + 120_000;
	for (;;) {
		const response = await job(token, id);
		expect(response.status, response.text).toBe(200);
		const body = PrintJobSchema.parse(response.json);
		seen.push(body.done);
		if (body.state !== 'queued' && body.state !== 'running') return { job: body, seen };
		if (Date.now() > deadline) throw new Error(`job ${id} still ${body.state}`);
		await sleep(200);
	}
}

/** The pages of each record's form as the test's own Chromium prints it, signed in as `token`. */
async function singleFormPages(token: string, ids: readonly string[]): Promise<number[]> {
	const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
	try {
		const context = await browser.newContext({ locale: 'zh-CN' });
		await context.addCookies([{ name: 'survey_session', value: token, url: server.url }]);
		const page = await context.newPage();
		const pages: number[] = [];
		for (const id of ids) {
			const response = await page.goto(`${server.url}/review/records/${id}/form`);
			expect(response?.status()).toBe(200);
			const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
			pages.push((await PDFDocument.load(pdf)).getPageCount());
		}
		return pages;
	} finally {
		await browser.close();
	}
}

describe('who may start a batch print, and what', () => {
	it('refuses a surveyor (403), whatever the body', async () => {
		expectError(await start(surveyor, { county: COUNTY }), 403, /调查员/);
		expectError(await start(surveyor, { nonsense: true }), 403);
	});

	it('refuses a county outside a county reviewer’s (403)', async () => {
		expectError(await start(reviewer.token, { county: OTHER }), 403, /无权/);
	});

	it('refuses a malformed body (400) with the field named', async () => {
		for (const body of [
			{},
			{ county: '999999' },
			{ county: COUNTY, statuses: [] },
			{ county: COUNTY, statuses: ['draft'] },
			{ county: COUNTY, statuses: 'accepted' },
			{ county: COUNTY, extra: 1 },
			[COUNTY]
		]) {
			expectError(await start(city.token, body), 400);
		}
		const notJson = await server.request('POST', '/api/review/print-jobs', {
			token: city.token,
			body: 'county=150622',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		});
		expectError(notJson, 400);
		expectError(await start(city.token, { county: '999999' }), 400, /county/);
	});

	it('answers 422 when no record of the county has the statuses', async () => {
		expectError(await start(city.token, { county: OTHER }), 422, /没有/);
	});

	it('refuses a cookie request from another origin (403) and takes one from its own', async () => {
		const foreign = await server.request('POST', '/api/review/print-jobs', {
			json: { county: COUNTY, statuses: ['submitted'] },
			headers: { cookie: reviewer.cookie!, origin: 'https://evil.example' }
		});
		expectError(foreign, 403);
		const own = await server.request('POST', '/api/review/print-jobs', {
			json: { county: COUNTY, statuses: ['submitted'] },
			headers: { cookie: reviewer.cookie!, origin: server.url }
		});
		expect(own.status, own.text).toBe(202);
		const body = PrintJobSchema.parse(own.json);
		expect(body).toMatchObject({ county: COUNTY, statuses: ['submitted'], total: 1, done: 0 });
		expect(own.headers.get('location')).toBe(`/api/review/print-jobs/${body.id}`);
		const { job: ended } = await finished(reviewer.token, body.id);
		expect(ended).toMatchObject({ state: 'done', done: 1, total: 1 });
		// the same cookie session reads the PDF it made
		const pdf = await server.request('GET', `/api/review/print-jobs/${body.id}/pdf`, {
			headers: { cookie: reviewer.cookie! }
		});
		expect(pdf.status).toBe(200);
		expect(await remove(reviewer.token, body.id)).toMatchObject({ status: 204 });
	});
});

describe('a batch of five forms', () => {
	let id: string;
	let file: string;

	it('starts (202), runs to done with its progress, and only its owner sees it', async () => {
		const started = await start(city.token, { county: COUNTY });
		expect(started.status, started.text).toBe(202);
		const body = PrintJobSchema.parse(started.json);
		id = body.id;
		expect(body).toMatchObject({ statuses: ['accepted', 'published'], total: 5 });
		expect(['queued', 'running']).toContain(body.state);

		// one job at a time per user: the second start names the first
		const again = await start(city.token, { county: COUNTY });
		expectError(again, 409, /打印任务/);
		expect((again.json as { id: string }).id).toBe(id);

		// nobody else learns the job exists, nor gets its PDF, nor cancels it
		for (const other of [reviewer.token, await server.as(`reviewer-${OTHER}`)]) {
			expectError(await job(other, id), 404);
			expectError(await server.get(`/api/review/print-jobs/${id}/pdf`, other), 404);
			expectError(await remove(other, id), 404);
		}
		expectError(await job(surveyor, id), 403);

		const { job: ended, seen } = await finished(city.token, id);
		expect(ended).toMatchObject({ state: 'done', done: 5, total: 5 });
		expect(ended.pages).toBeGreaterThanOrEqual(5 * 4);
		expect(ended.expiresAt! > ended.finishedAt!).toBe(true);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(seen.at(-1)).toBe(5);

		expectError(await server.get(`/api/review/print-jobs/${id}/pdf`, reviewer.token), 404);
	}, 180_000);

	it('downloads as one PDF with a Chinese file name', async () => {
		const response = await fetch(`${server.url}/api/review/print-jobs/${id}/pdf`, {
			headers: { authorization: `Bearer ${city.token}` }
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pdf');
		const name = `${countyName(COUNTY)}不可移动文物登记表-`;
		expect(response.headers.get('content-disposition')).toContain(
			`filename*=UTF-8''${encodeURIComponent(name)}`
		);
		expect(response.headers.get('content-disposition')).toMatch(
			/^attachment; filename="registration-forms-150622-\d{8}\.pdf"/
		);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
		file = join(work, 'batch.pdf');
		writeFileSync(file, bytes);
	});

	it('holds exactly the single forms’ pages, in site-code order, new finds last', async () => {
		const expected = [...rechecks]
			.sort((a, b) => (a.siteCode! < b.siteCode! ? -1 : 1))
			.map((r) => r.id)
			.concat(find.id);
		const single = await singleFormPages(city.token, expected);
		const joined = await PDFDocument.load(new Uint8Array(readBytes(file)));
		expect(joined.getPageCount()).toBe(single.reduce((a, b) => a + b, 0));
		expect(joined.getTitle()).toBe(`${countyName(COUNTY)}不可移动文物登记表（5 份）`);
		expect(joined.getCreator()).toMatch(/四次全国文物普查/);
		// a bookmark per form
		const outlines = joined.catalog.lookup(PDFName.of('Outlines'), PDFDict);
		expect(outlines.lookup(PDFName.of('Count'), PDFNumber).asNumber()).toBe(5);
		// poppler reads it: the pages, and every site's code in order, the new find after them
		expect(execFileSync('pdfinfo', [file]).toString()).toMatch(
			new RegExp(`Pages:\\s+${joined.getPageCount()}\\b`)
		);
		const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString();
		const codes = [...rechecks].map((r) => r.siteCode!).sort();
		const at = [...codes, find.name!].map((needle) => text.indexOf(needle));
		expect(at.every((i) => i >= 0)).toBe(true);
		expect(at).toEqual([...at].sort((a, b) => a - b));
		expect(text).not.toContain(submitted.siteCode!);
		// each form keeps its own page numbers: every form's last page says "n / n"
		for (const n of single) expect(text).toMatch(new RegExp(`\\b${n}\\s*/\\s*${n}\\b`));
	}, 180_000);

	it('removes an ended job with its PDF (204), then it is gone (404)', async () => {
		expect((await remove(city.token, id)).status).toBe(204);
		expectError(await job(city.token, id), 404);
		expectError(await server.get(`/api/review/print-jobs/${id}/pdf`, city.token), 404);
	});
});

describe('cancel and shutdown', () => {
	it('cancels a job that runs: cancelled, no PDF', async () => {
		const started = await start(city.token, { county: COUNTY });
		expect(started.status, started.text).toBe(202);
		const { id } = PrintJobSchema.parse(started.json);
		const cancelled = await remove(city.token, id);
		expect(cancelled.status, cancelled.text).toBe(200);
		expect(PrintJobSchema.parse(cancelled.json).state).toBe('cancelled');
		const { job: ended } = await finished(city.token, id);
		expect(ended.state).toBe('cancelled');
		expectError(await server.get(`/api/review/print-jobs/${id}/pdf`, city.token), 404);
		// and the user may start again
		const next = await start(city.token, { county: COUNTY, statuses: ['submitted'] });
		expect(next.status, next.text).toBe(202);
		await finished(city.token, PrintJobSchema.parse(next.json).id);
	}, 120_000);

	it('stops a running job’s Chromium and exits when the server is stopped', async () => {
		const started = await start(reviewer.token, { county: COUNTY });
		expect(started.status, started.text).toBe(202);
		const { id } = PrintJobSchema.parse(started.json);
		// wait until its Chromium runs: the server's children
		let children: number[] = [];
		const deadline = Date.now() + 30_000;
		while (children.length === 0 && Date.now() < deadline) {
			await sleep(100);
			children = childrenOf(server.pid);
		}
		expect(children.length).toBeGreaterThan(0);
		expect(PrintJobSchema.parse((await job(reviewer.token, id)).json).state).toBe('running');
		const t0 = Date.now();
		await server.stop();
		// stop() kills the process after 5 s: a clean close is well within that
		expect(Date.now() - t0).toBeLessThan(4500);
		for (const pid of children) expect(alive(pid), `chromium ${pid}`).toBe(false);
	}, 60_000);
});

function readBytes(path: string): Buffer {
	return readFileSync(path);
}

function childrenOf(pid: number): number[] {
	try {
		return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)])
			.toString()
			.split('\n')
			.map((s) => Number(s.trim()))
			.filter((n) => n > 0);
	} catch {
		return [];
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
