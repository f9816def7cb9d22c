import { expect, test } from '@playwright/test';
import { queueRechecks } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { E2E_DEMO_PASSWORD, ServerProcess } from '../server-process.js';

const PORT = Number(process.env.E2E_KILL_PORT ?? 4191);
const COUNTY = '150627';
const RECORDS = 50;
const PHOTOS_PER_RECORD = 3;

test.use({ baseURL: `http://localhost:${PORT}` });

/**
 * 50 finalized records with 150 photos are queued on the device. The server is killed with
 * SIGKILL in the middle of the upload, restarted on the same data, and the device syncs again.
 */
test('a sync killed mid-way ends with exactly 50 records and 150 photos, and no stored photo sent twice', async ({
	page
}) => {
	test.setTimeout(240_000);
	const server = new ServerProcess(PORT);
	await server.start();
	try {
		await new HomePage(page).firstVisit();
		await new FieldLoginPage(page).logIn(`surveyor-${COUNTY}`, E2E_DEMO_PASSWORD);

		// every photo PUT, when it was sent, and how it ended; listened to before anything is
		// queued, since the device may start syncing as soon as records are waiting
		type Put = { sha: string; sentAt: number; status?: number; endedAt?: number; failed?: boolean };
		const puts: Put[] = [];
		const shaOf = (url: string) =>
			/\/api\/photos\/([0-9a-f]{64})$/.exec(new URL(url).pathname)?.[1];
		page.on('request', (request) => {
			const sha = shaOf(request.url());
			if (sha && request.method() === 'PUT') puts.push({ sha, sentAt: Date.now() });
		});
		const ended = (sha: string | undefined, apply: (p: Put) => void) => {
			const open = puts.filter((p) => p.sha === sha && p.endedAt === undefined).at(-1);
			if (open) {
				open.endedAt = Date.now();
				apply(open);
			}
		};
		page.on('response', (response) => {
			if (response.request().method() === 'PUT')
				ended(shaOf(response.url()), (p) => (p.status = response.status()));
		});
		page.on('requestfailed', (request) => {
			if (request.method() === 'PUT') ended(shaOf(request.url()), (p) => (p.failed = true));
		});

		// 50 re-checks of registered sites, 3 distinct photos each, queued as if finalized
		const { hashes } = await queueRechecks(page, COUNTY, {
			count: RECORDS,
			photosPerRecord: PHOTOS_PER_RECORD
		});
		expect(new Set(hashes).size).toBe(RECORDS * PHOTOS_PER_RECORD);

		const sync = new SyncPage(page);
		await sync.goto();
		await expect(sync.queued).toHaveText(`待上传 ${RECORDS} 条`);
		await sync.syncNow();
		// the progress bar shows while photos go up
		await expect(sync.progress).toBeVisible();
		await expect
			.poll(() => puts.filter((p) => p.status === 201).length, { timeout: 120_000 })
			.toBeGreaterThanOrEqual(60);
		await server.kill();
		const storedBeforeKill = puts.filter((p) => p.status === 201).length;
		// killed in the middle: photos (and so records) were still to go
		expect(storedBeforeKill).toBeLessThan(RECORDS * PHOTOS_PER_RECORD);

		// the device says the server cannot be reached, and keeps everything
		await expect(sync.error).toBeVisible({ timeout: 30_000 });
		await server.start();
		await sync.syncNow();
		await expect(sync.queued).toHaveText('待上传 0 条', { timeout: 180_000 });

		// the server holds exactly the 50 records and the 150 photos
		const held = server.held();
		expect(held.records).toHaveLength(RECORDS);
		expect(held.records.every((r) => r.status === 'submitted' && r.revision === 1)).toBe(true);
		expect(held.photos).toEqual([...hashes].sort());
		const reviewer = await server.login(`reviewer-${COUNTY}`);
		for (const sha of hashes.slice(0, 10)) {
			const head = await fetch(`${server.origin}/api/photos/${sha}`, {
				method: 'HEAD',
				headers: { authorization: `Bearer ${reviewer}` }
			});
			expect(head.status).toBe(200);
		}

		// no photo was sent again once the server had answered that it was stored; a photo is
		// PUT a second time only when its first PUT died with the server (a photo stored just
		// before the kill, whose answer was lost, is found by HEAD and not sent again at all)
		for (const sha of hashes) {
			const mine = puts.filter((p) => p.sha === sha).sort((a, b) => a.sentAt - b.sentAt);
			const stored = mine.find((p) => p.status === 201 || p.status === 200);
			if (stored) expect(mine.filter((p) => p.sentAt > stored.endedAt!)).toEqual([]);
			else
				expect(
					mine.length,
					`photo ${sha}: stored without an answer, so PUT once at most`
				).toBeLessThanOrEqual(1);
			for (const earlier of mine.slice(0, -1)) {
				expect(earlier.failed || earlier.status === undefined || earlier.status >= 500).toBe(true);
			}
		}
		const extra = puts.length - hashes.length;
		test.info().annotations.push({
			type: 'uploads',
			description: `${storedBeforeKill} photos stored before the kill; ${puts.length} PUTs in all (${extra} repeated after dying with the server)`
		});
		expect(extra).toBeGreaterThanOrEqual(0);
		expect(extra).toBeLessThanOrEqual(4);
	} finally {
		await server.stop();
	}
});
