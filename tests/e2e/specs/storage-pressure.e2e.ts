import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import {
	demoRegistry,
	expect,
	offlineInCounty,
	photoRows,
	storedRecord,
	test
} from '../fixtures.js';
import { StorageActions } from '../controls/storage-actions.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SitePage } from '../pages/site-page.js';

/*
 * Storage pressure (issue 5.3), emulated with init scripts. CDP `Storage.overrideQuotaForOrigin`
 * would be the real thing, but in Debian's Chromium it changes neither what `estimate()`
 * reports nor, once the app's service worker and database exist, what IndexedDB accepts.
 *
 * - The app decides from `navigator.storage.estimate()`: the first test replaces it with the
 *   real usage and a quota only `e2e-free-bytes` above it.
 * - The second test makes IndexedDB refuse the photo's bytes with QuotaExceededError, as a full
 *   disk does, while the estimate still shows space.
 */

const PHOTO_A = 'tests/fixtures/photos/site-dongsheng-1600x1200.jpg';
const PHOTO_B = 'tests/fixtures/photos/site-dongsheng-orientation6.jpg';
const SHOTS = '/tmp/shots-storage';
const MB = 1024 * 1024;

/** A re-check of a 东胜区 site, offline, with photo A stored; resolves to the record's id. */
async function recheckWithOnePhoto(page: Page, context: BrowserContext) {
	const site = demoRegistry().find((s) => s.countyCode === '150602')!;
	await offlineInCounty(page, context, '东胜区');
	const sitePage = new SitePage(page);
	await sitePage.goto(site.code);
	await sitePage.startRecheck();
	const form = new RecordPage(page);
	const id = form.id;
	await form.go('photos');
	await form.photos.addFiles(PHOTO_A, 1);
	await expect
		.poll(async () => (await storedRecord(page, id)).row.record)
		.toMatchObject({ photos: [{ kind: '全景' }] });
	return id;
}

test('nearly full: the warning comes first, nothing is written, stored data intact', async ({
	page,
	context
}) => {
	await context.addInitScript(() => {
		const real = StorageManager.prototype.estimate;
		StorageManager.prototype.estimate = async function () {
			const estimate = await real.call(this);
			const free = localStorage.getItem('e2e-free-bytes');
			return free === null
				? estimate
				: { ...estimate, quota: (estimate.usage ?? 0) + Number(free) };
		};
	});
	const id = await recheckWithOnePhoto(page, context);
	const form = new RecordPage(page);
	const photos = form.photos;
	const before = await storedRecord(page, id);
	expect(await photoRows(page)).toEqual({ photos: 1, photoBlobs: 1 });

	// 150 MB free, under the 200 MB margin: the app says so at start.
	await page.evaluate((free) => localStorage.setItem('e2e-free-bytes', String(free)), 150 * MB);
	await page.reload();
	const banner = form.topBar.storageLow;
	await expect(banner).toContainText('剩余约 150 MB');
	await expect(banner).toContainText('安全余量 200 MB');
	await expect(banner).toContainText('不会腾出本机空间');
	await expect(new StorageActions(banner).backup).toHaveAttribute('href', '/backup');

	// Taking a photo: the warning, before anything is written.
	await form.go('photos');
	await photos.takePhoto(PHOTO_B);
	const warning = photos.storageWarning;
	await expect(warning).toBeVisible();
	await expect(warning).toContainText('存储空间不足，照片未保存');
	await expect(warning).toContainText('本机剩余约 150 MB');
	await expect(warning).toContainText(/最多需要 \d+(\.\d)? MB/);
	await expect(warning).toContainText('本次没有写入任何内容');
	// Offline and not logged in: no 立即同步, only 去备份.
	await expect(photos.storageActions.syncNow).toHaveCount(0);
	await expect(photos.storageActions.backup).toBeVisible();
	await expect(photos.processing).toHaveCount(0);

	mkdirSync(SHOTS, { recursive: true });
	await warning.evaluate((el) => el.scrollIntoView({ block: 'start' }));
	await page.screenshot({ path: `${SHOTS}/photo-warning-1280x800.png` });
	await page.setViewportSize({ width: 800, height: 1280 });
	await warning.evaluate((el) => el.scrollIntoView({ block: 'start' }));
	await page.screenshot({ path: `${SHOTS}/photo-warning-800x1280.png` });
	await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
	await page.screenshot({ path: `${SHOTS}/banner-800x1280.png` });

	// Nothing was written; what was stored is intact, byte for byte.
	await expect(photos.tiles).toHaveCount(1);
	expect(await photoRows(page)).toEqual({ photos: 1, photoBlobs: 1 });
	expect(await storedRecord(page, id)).toEqual(before);

	// With space again (freed on the tablet), the same photo is taken.
	await page.evaluate(() => localStorage.setItem('e2e-free-bytes', String(8 * 1024 ** 3)));
	await photos.takePhoto(PHOTO_B);
	await expect(photos.tiles).toHaveCount(2);
	await expect(warning).toHaveCount(0);
	await expect.poll(() => photoRows(page)).toEqual({ photos: 2, photoBlobs: 2 });
});

test('a write the browser still refuses (QuotaExceededError) keeps everything stored', async ({
	page,
	context
}) => {
	// IndexedDB refusing the photo's bytes as a full disk does, while estimate() still reports
	// space: the check lets the write start and the refusal must be caught.
	await context.addInitScript(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (...args: Parameters<IDBObjectStore['put']>) {
			if (this.name === 'photoBlobs' && localStorage.getItem('e2e-quota-full')) {
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			}
			return put.apply(this, args);
		};
	});
	const id = await recheckWithOnePhoto(page, context);
	const before = await storedRecord(page, id);
	expect(await photoRows(page)).toEqual({ photos: 1, photoBlobs: 1 });

	const photos = new RecordPage(page).photos;
	await page.evaluate(() => localStorage.setItem('e2e-quota-full', '1'));
	await photos.takePhoto(PHOTO_B);
	await expect(photos.alert('存储空间已满')).toContainText('之前已保存的记录和照片完好');
	await expect(photos.tiles).toHaveCount(1);
	await page.screenshot({ path: `${SHOTS}/quota-error-1280x800.png` });

	expect(await photoRows(page)).toEqual({ photos: 1, photoBlobs: 1 });
	expect(await storedRecord(page, id)).toEqual(before);
});
