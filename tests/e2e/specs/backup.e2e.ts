import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueRechecks, shootTabletSizes } from '../fixtures.js';
import { BackupPage } from '../pages/backup-page.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { E2E_DEMO_PASSWORD, ServerProcess } from '../server-process.js';

const PORT = Number(process.env.E2E_BACKUP_PORT ?? 4193);
const COUNTY = '150627';
const SURVEYOR = `surveyor-${COUNTY}`;
const RECORDS = 30;
const PHOTOS_PER_RECORD = 3;
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-backup';

test.use({ baseURL: `http://localhost:${PORT}` });

/** Puts `count` finalized, queued 复查 with 3 distinct JPEGs each into the device database. */
async function injectQueued(page: Page, count: number): Promise<string[]> {
	// started four days ago: older than the reminder's three days
	const { hashes } = await queueRechecks(page, COUNTY, {
		count,
		photosPerRecord: PHOTOS_PER_RECORD,
		startedDaysAgo: 4
	});
	return hashes;
}

/** How many rows each store of the device database holds. */
async function deviceCounts(page: Page): Promise<Record<string, number>> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const out: Record<string, number> = {};
		for (const store of ['records', 'photos', 'photoBlobs']) {
			out[store] = await new Promise<number>((resolve, reject) => {
				const req = db.transaction(store).objectStore(store).count();
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
		}
		db.close();
		return out;
	});
}

const shoot = (page: Page, name: string) => shootTabletSizes(page, SHOTS, name, { fullPage: true });

function cliImport(dataDir: string, file: string) {
	const run = spawnSync(
		process.execPath,
		['--import', 'tsx', 'scripts/admin.ts', 'import', file, '--format', 'json'],
		{ env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000 }
	);
	expect(run.stderr).not.toMatch(/admin:/);
	expect(run.status).toBe(0);
	return JSON.parse(run.stdout) as {
		as: string;
		counts: Record<string, number>;
		photos: { stored: number; present: number; failed: unknown[] };
	};
}

/**
 * A tablet in the field (logged in, offline) holds 30 unsent records with 90 photos. It exports a
 * backup through the UI; the file is imported twice with the command-line tool; the same file
 * restores onto a fresh browser profile, whose records then sync as unchanged.
 */
test('a backup of 30 records and 90 photos: exported, imported twice, restored on a new device', async ({
	page,
	context,
	browser
}) => {
	test.setTimeout(240_000);
	const server = new ServerProcess(PORT);
	await server.start();
	const work = mkdtempSync(join(tmpdir(), 'backup-e2e-'));
	try {
		const home = new HomePage(page);
		const login = new FieldLoginPage(page);
		const sync = new SyncPage(page);
		const backup = new BackupPage(page);
		// --- the tablet: logged in, then out in the field with no network ---------------------
		await home.firstVisit();
		await login.logIn(SURVEYOR, E2E_DEMO_PASSWORD);
		await expect(login.registry).toHaveAttribute('data-kind', 'server');
		await context.setOffline(true);
		const hashes = await injectQueued(page, RECORDS);
		expect(new Set(hashes).size).toBe(RECORDS * PHOTOS_PER_RECORD);

		// unsent for more than three days, never backed up: every screen reminds
		await home.goto();
		await expect(home.topBar.backupReminder).toContainText('超过 3 天');
		await sync.goto();
		await expect(sync.topBar.backupReminder).toBeVisible();
		mkdirSync(SHOTS, { recursive: true });
		await page.screenshot({ path: join(SHOTS, 'reminder-sync-1280x800.png') });
		// the home screen links to the backup screen
		await home.goto();
		await home.openBackup();
		await expect(page).toHaveURL(/\/backup$/);
		await expect(backup.heading).toBeVisible();
		await expect(backup.topBar.backupReminder).toBeHidden();
		await expect(backup.pageReminder).toContainText('超过 3 天');
		await expect(backup.unsent).toContainText('30 条记录，90 张照片');
		await expect(backup.last).toHaveText('还没有备份过');

		// a tablet's browser has no save-file picker: the zip is offered as a download
		await page.evaluate(() =>
			Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true })
		);
		const download = await backup.exportDownload();
		expect(download.suggestedFilename()).toMatch(
			/^四普备份-伊金霍洛旗-[0-9a-f]{8}-\d{8}-\d{4}\.zip$/
		);
		const file = join(work, download.suggestedFilename());
		await download.saveAs(file);
		await expect(backup.done).toContainText('30 条记录、90 张照片');
		await expect(backup.last).toContainText('上次备份');
		await expect(backup.pageReminder).toBeHidden();
		// 90 photos of about 0.4 MB each, STORED
		expect(statSync(file).size).toBeGreaterThan(90 * 300_000);
		await shoot(page, 'backup-exported');
		// backed up: the reminder is gone
		await sync.goto();
		await expect(sync.backupLink).toBeVisible();
		await expect(sync.topBar.backupReminder).toBeHidden();

		// --- the city imports the file twice with the command-line tool ----------------------
		const first = cliImport(server.dataDir, file);
		expect(first.as).toBe(SURVEYOR);
		expect(first.counts).toMatchObject({ accepted: RECORDS, rejected: 0, skipped: 0 });
		expect(first.photos).toEqual({ stored: RECORDS * PHOTOS_PER_RECORD, present: 0, failed: [] });
		const second = cliImport(server.dataDir, file);
		expect(second.counts).toMatchObject({ accepted: 0, unchanged: RECORDS, skipped: 0 });
		expect(second.photos).toEqual({ stored: 0, present: RECORDS * PHOTOS_PER_RECORD, failed: [] });

		const held = server.held();
		expect(held.records).toHaveLength(RECORDS);
		expect(held.records.every((r) => r.status === 'submitted' && r.revision === 1)).toBe(true);
		expect(held.photos).toEqual([...hashes].sort());

		// --- a replacement tablet: a new browser profile restores the file ------------------
		const fresh = await browser.newContext({
			baseURL: `http://localhost:${PORT}`,
			locale: 'zh-CN',
			timezoneId: 'Asia/Shanghai',
			viewport: { width: 1280, height: 800 }
		});
		try {
			const tablet = await fresh.newPage();
			const restoring = new BackupPage(tablet);
			const tabletSync = new SyncPage(tablet);
			await restoring.goto();
			await expect(restoring.unsent).toHaveText('所有记录都已被服务器确认，没有需要备份的数据。');
			await restoring.restore(file);
			await expect(restoring.restoreDone).toContainText('已恢复 30 条记录，写入照片 90 张。', {
				timeout: 60_000
			});
			await expect(restoring.restoreSummary).toContainText(SURVEYOR);
			expect(await deviceCounts(tablet)).toEqual({
				records: RECORDS,
				photos: RECORDS * PHOTOS_PER_RECORD,
				photoBlobs: RECORDS * PHOTOS_PER_RECORD
			});
			await expect(restoring.unsent).toContainText('30 条记录，90 张照片');
			await shoot(tablet, 'backup-restored');

			// the records are in its list, waiting to be sent
			await tabletSync.goto();
			await expect(tabletSync.rows).toHaveCount(RECORDS);
			await expect(tabletSync.rowsWithStatus('待上传')).toHaveCount(RECORDS);
			await expect(tabletSync.queued).toHaveText('待上传 30 条');

			// logging in sends them: the server had them from the import, so nothing changes
			await new FieldLoginPage(tablet).logIn(SURVEYOR, E2E_DEMO_PASSWORD);
			await tabletSync.goto();
			await expect(tabletSync.queued).toHaveText('待上传 0 条', { timeout: 120_000 });
			// acknowledged as the server holds them: 已送达, still revision 1 (unchanged, no conflict)
			await expect(tabletSync.rowsWithStatus('已送达')).toHaveCount(RECORDS);
			const after = server.held().records;
			expect(after).toHaveLength(RECORDS);
			expect(after.every((r) => r.revision === 1)).toBe(true);
		} finally {
			await fresh.close();
		}
	} finally {
		await server.stop();
		rmSync(work, { recursive: true, force: true });
	}
});
