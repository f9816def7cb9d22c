import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { demoRegistry, expect, test } from '../fixtures.js';
import { ServerProcess } from '../server-process.js';
import { ReviewHomePage, ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewPrintPage } from '../pages/review/review-print-page.js';
import { makePhoto, sha256Hex, uniqueJpeg } from '../../fixtures/photos.js';
import { recheckRecord } from '../../fixtures/records.js';
import type { SurveyRecord } from '../../../src/lib/domain/schemas/index.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

/**
 * Issue 14 point 1: a county reviewer prints the registration forms of 120 accepted re-checks as
 * one PDF made on the server, following a progress bar. The 120 accepted records would change
 * what other specs count, so this spec has a server of its own.
 */
const COUNTY = '150624';
const FORMS = 120;
const SHOTS = 'test-results/batch-print';
const PHOTOS = [
	'tests/fixtures/photos/site-dongsheng-1600x1200.jpg',
	'tests/fixtures/photos/site-hangjin-1600x1200.jpg'
].map((f) => new Uint8Array(readFileSync(f)));

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

/** 120 clean re-checks of the county's first sites, each with two photos of its own, accepted. */
async function seed(server: ServerProcess): Promise<SurveyRecord[]> {
	const call = async (method: string, path: string, token: string, body: unknown) => {
		const response = await fetch(`${server.origin}${path}`, {
			method,
			headers: {
				authorization: `Bearer ${token}`,
				'content-type': body instanceof Uint8Array ? 'image/jpeg' : 'application/json'
			},
			body: body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body)
		});
		expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(
			300
		);
		return response.json().catch(() => null) as Promise<unknown>;
	};
	const surveyor = await server.login(`surveyor-${COUNTY}`);
	const today = chinaDate(new Date());
	const sites = demoRegistry()
		.filter((s) => s.countyCode === COUNTY)
		.slice(0, FORMS);
	expect(sites).toHaveLength(FORMS);
	const records: SurveyRecord[] = [];
	for (const site of sites) {
		const photos = [];
		for (const [i, kind] of (['全景', '近景'] as const).entries()) {
			const bytes = uniqueJpeg(PHOTOS[i]!);
			const sha256 = sha256Hex(bytes);
			await call('PUT', `/api/photos/${sha256}`, surveyor, bytes);
			photos.push(
				makePhoto(sha256, kind, site.location, {
					photographer: '批量打印',
					takenAt: `${today}T09:00:00+08:00`,
					caption: `${site.name}${kind}`
				})
			);
		}
		records.push(
			recheckRecord(
				site,
				{
					id: randomUUID(),
					now: new Date().toISOString(),
					surveyors: ['批量打印'],
					surveyedOn: today
				},
				{ photos }
			)
		);
	}
	for (let i = 0; i < records.length; i += 50) {
		const pushed = (await call('POST', '/api/sync/push', surveyor, {
			deviceId: `batch-print-${COUNTY}`,
			records: records.slice(i, i + 50)
		})) as { results: { status: string }[] };
		expect(pushed.results.map((r) => r.status)).toEqual(
			records.slice(i, i + 50).map(() => 'accepted')
		);
	}
	for (const [who, revision] of [
		[`reviewer-${COUNTY}`, 1],
		['city', 2]
	] as const) {
		const token = await server.login(who);
		const approved = (await call('POST', '/api/review/bulk-approve', token, {
			records: records.map((r) => ({ id: r.id, revision }))
		})) as { results: { outcome: unknown }[] };
		expect(approved.results.map((r) => r.outcome)).toEqual(records.map(() => 'approved'));
	}
	return records;
}

test('a county reviewer prints the 登记表 of 120 sites as one PDF, following its progress', async ({
	page
}, info) => {
	test.setTimeout(420_000);
	mkdirSync(SHOTS, { recursive: true });
	const server = new ServerProcess(await freePort());
	await server.start();
	try {
		const records = await seed(server);
		const login = new ReviewLoginPage(page);
		const print = new ReviewPrintPage(page);
		await page.goto(`${server.origin}/review/login?next=/review`);
		await login.logIn(`reviewer-${COUNTY}`);
		await expect(new ReviewHomePage(page).queue).toBeVisible();

		// from the queue, the county's accepted and published records by default
		await print.link.click();
		await expect(print.heading).toHaveText('批量打印登记表');
		await expect(print.county).toHaveValue(COUNTY);
		await expect(print.status('accepted')).toBeChecked();
		await expect(print.status('published')).toBeChecked();
		await expect(print.status('submitted')).not.toBeChecked();
		await expect(print.count).toHaveAttribute('data-count', String(FORMS));
		await expect(print.count).toContainText(`共 ${FORMS} 份登记表`);
		// nothing else of the county is accepted, so no status but those two gives a form
		await print.status('accepted').uncheck();
		await expect(print.count).toHaveAttribute('data-count', '0');
		await expect(print.start).toBeDisabled();
		await print.status('accepted').check();
		await expect(print.start).toBeEnabled();

		const started = Date.now();
		await print.start.click();
		await expect(page).toHaveURL(/[?&]job=[0-9a-f-]{36}/);

		// the bar moves: record every value until the PDF is ready; mid-way, look and reload
		const seen: number[] = [];
		let shot = false;
		let reloaded = false;
		for (;;) {
			const { value, state, done } = await print.reading();
			seen.push(value);
			if (state === 'done') break;
			expect(['queued', 'running']).toContain(state);
			if (!shot && value >= 30 && value <= 70) {
				shot = true;
				expect(done).toMatch(new RegExp(`^已完成 \\d+ / ${FORMS}$`));
				for (const [width, height] of [
					[1280, 800],
					[800, 1280]
				] as const) {
					await page.setViewportSize({ width, height });
					await page.screenshot({ path: `${SHOTS}/progress-${width}x${height}.png` });
				}
				await page.setViewportSize({ width: 1280, height: 800 });
			}
			if (!reloaded && value >= 50) {
				// the job's id is in the URL: a reload finds it, no further back than it was
				reloaded = true;
				await page.reload();
				await expect(print.bar).toBeVisible();
			}
			expect(Date.now() - started, 'the batch took too long').toBeLessThan(300_000);
			await page.waitForTimeout(150);
		}
		const seconds = (Date.now() - started) / 1000;
		info.annotations.push({ type: 'batch', description: `${FORMS} forms in ${seconds} s` });
		console.log(`batch print: ${FORMS} forms in ${seconds.toFixed(1)} s`);
		const distinct = [...new Set(seen)];
		console.log(`progress values seen: ${distinct.join(' ')}`);
		expect(distinct.length).toBeGreaterThan(2);
		expect(distinct.filter((v) => v > 0 && v < 100).length).toBeGreaterThan(2);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(seen.at(-1)).toBe(100);
		expect(reloaded).toBe(true);
		await expect(print.done).toHaveText(`已完成 ${FORMS} / ${FORMS}`);
		await expect(print.state).toContainText('已生成');
		await page.screenshot({ path: `${SHOTS}/done-1280x800.png` });

		const [download] = await Promise.all([page.waitForEvent('download'), print.download.click()]);
		expect(download.suggestedFilename()).toMatch(/^鄂托克旗不可移动文物登记表-\d{8}\.pdf$/);
		const file = info.outputPath('batch.pdf');
		await download.saveAs(file);
		const bytes = readFileSync(file);
		const pdf = await PDFDocument.load(bytes);
		// every form is a cover, the basic information, the points, the photos and the review:
		// five pages at least each
		expect(pdf.getPageCount()).toBeGreaterThanOrEqual(FORMS * 5);
		expect(execFileSync('pdfinfo', [file]).toString()).toMatch(
			new RegExp(`Pages:\\s+${pdf.getPageCount()}\\b`)
		);
		// a bookmark per form, in site-code order
		const outlines = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict);
		expect(outlines.lookup(PDFName.of('Count'), PDFNumber).asNumber()).toBe(FORMS);
		const labels = pdf.catalog
			.lookup(PDFName.of('PageLabels'), PDFDict)
			.lookup(PDFName.of('Nums'), PDFArray);
		expect(labels.size()).toBe(FORMS * 2);
		const codes = records.map((r) => r.siteCode!).sort();
		const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-l', '40', file, '-']).toString();
		expect(text).toContain(codes[0]!);
		// pages to look at: the first form's cover, its photos, a later form's cover
		execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '6', file, `${SHOTS}/page`]);
		execFileSync('pdftoppm', [
			'-png',
			'-r',
			'50',
			'-f',
			String(pdf.getPageCount() - 4),
			'-l',
			String(pdf.getPageCount()),
			file,
			`${SHOTS}/last`
		]);

		// a second batch, cancelled: it says so and offers no PDF
		const first = new URL(page.url()).searchParams.get('job');
		await print.start.click();
		await expect(page).not.toHaveURL(new RegExp(`job=${first}`));
		await expect(print.cancel).toBeVisible();
		await print.cancel.click();
		await expect(print.progress).toHaveAttribute('data-state', 'cancelled');
		await expect(print.state).toHaveText('已取消');
		await expect(print.download).toHaveCount(0);
		await expect(print.start).toBeEnabled();
	} finally {
		await server.stop();
	}
});
