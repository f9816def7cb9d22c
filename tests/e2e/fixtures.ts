import {
	test as base,
	expect,
	type Browser,
	type BrowserContext,
	type Page,
	type TestInfo
} from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegisteredSite } from '../../src/lib/domain/schemas/site.js';
import type { CountyCollection } from '../../src/lib/domain/geometry/counties.js';
import { HomePage } from './pages/home-page.js';

export { waitForServiceWorker } from './service-worker.js';

/** Another device: a browser context (a profile) of its own, with the project's settings. */
export async function newDevice(browser: Browser, info: TestInfo): Promise<BrowserContext> {
	const { baseURL, viewport, locale, timezoneId } = info.project.use;
	return browser.newContext({
		...(baseURL === undefined ? {} : { baseURL }),
		viewport: viewport ?? { width: 1280, height: 800 },
		...(locale === undefined ? {} : { locale }),
		...(timezoneId === undefined ? {} : { timezoneId })
	});
}

export async function goOffline(context: BrowserContext): Promise<void> {
	await context.setOffline(true);
}

/** The demo registry as the build serves it. */
export function demoRegistry(): RegisteredSite[] {
	return (
		JSON.parse(readFileSync('static/data/demo-registry.json', 'utf8')) as {
			sites: RegisteredSite[];
		}
	).sites;
}

export function counties(): CountyCollection {
	return JSON.parse(readFileSync('static/data/ordos-counties.geojson', 'utf8')) as CountyCollection;
}

export const test = base;
export { expect };

/** One record as the device stored it, read straight from IndexedDB, with its photos' bytes. */
export async function storedRecord(
	page: Page,
	id: string
): Promise<{ row: { localState: string; record: unknown }; blobs: Record<string, string> }> {
	return page.evaluate(async (recordId) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const get = <T>(store: string, key: string) =>
			new Promise<T>((resolve, reject) => {
				const req = db.transaction(store).objectStore(store).get(key);
				req.onsuccess = () => resolve(req.result as T);
				req.onerror = () => reject(req.error);
			});
		const row = await get<{ localState: string; record: { photos: { sha256: string }[] } }>(
			'records',
			recordId
		);
		const blobs: Record<string, string> = {};
		for (const photo of row.record.photos) {
			const { blob } = await get<{ blob: Blob }>('photoBlobs', photo.sha256);
			const bytes = new Uint8Array(await blob.arrayBuffer());
			let binary = '';
			for (const b of bytes) binary += String.fromCharCode(b);
			blobs[photo.sha256] = btoa(binary);
		}
		db.close();
		return { row, blobs };
	}, id);
}

/** First visit online (service worker in place), the county chosen, then the network off. */
export async function offlineInCounty(
	page: Page,
	context: BrowserContext,
	county: string
): Promise<void> {
	const home = new HomePage(page);
	await home.firstVisit();
	await home.chooseCounty(county);
	await goOffline(context);
}

/**
 * Puts `count` finalized 复查 of the county's registered sites (from the `first`-th on) into the
 * device database exactly as the form leaves them: queued for upload, each with
 * `photosPerRecord` distinct real JPEGs (全景, 近景, 环境). `startedDaysAgo` back-dates when
 * they were started (the backup reminder counts from it). Returns their ids and photo hashes.
 */
export async function queueRechecks(
	page: Page,
	county: string,
	options: { count: number; photosPerRecord: number; first?: number; startedDaysAgo?: number }
): Promise<{ ids: string[]; hashes: string[] }> {
	const first = options.first ?? 0;
	const sites = demoRegistry()
		.filter((s) => s.countyCode === county)
		.slice(first, first + options.count);
	const jpeg = readFileSync('tests/fixtures/photos/site-hangjin-1600x1200.jpg').toString('base64');
	return page.evaluate(
		async ({ sites, jpeg, perRecord, startedDaysAgo }) => {
			const base = Uint8Array.from(atob(jpeg), (c) => c.charCodeAt(0));
			const hex = (buffer: ArrayBuffer) =>
				[...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open('ordos-survey');
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			const kinds = ['全景', '近景', '环境'] as const;
			const ids: string[] = [];
			const hashes: string[] = [];
			const rows: { record: object; photos: object[]; blobs: object[] }[] = [];
			for (const [i, site] of sites.entries()) {
				const id = crypto.randomUUID();
				ids.push(id);
				const at = new Date(Date.now() - (sites.length - i) * 60_000).toISOString();
				const photos: { sha256: string; kind: (typeof kinds)[number] }[] = [];
				const metas: object[] = [];
				const blobs: object[] = [];
				for (let p = 0; p < perRecord; p++) {
					// bytes after the JPEG's end marker make each photo distinct and still a JPEG
					const tail = new TextEncoder().encode(`#${id}#${p}`);
					const bytes = new Uint8Array(base.length + tail.length);
					bytes.set(base);
					bytes.set(tail, base.length);
					const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));
					hashes.push(sha256);
					photos.push({ sha256, kind: kinds[p]! });
					metas.push({
						key: `${id}:${sha256}`,
						recordId: id,
						sha256,
						kind: kinds[p],
						number: p + 1,
						mimeType: 'image/jpeg',
						bytes: bytes.length,
						width: 1600,
						height: 1200,
						createdAt: at
					});
					blobs.push({ sha256, blob: new Blob([bytes], { type: 'image/jpeg' }) });
				}
				const record = {
					id,
					schemaVersion: 1,
					kind: '复查',
					siteCode: site.code,
					countyCode: site.countyCode,
					baseRevision: 0,
					name: site.name,
					changeType: '无变更',
					category: site.category,
					subcategory: site.subcategory,
					condition: site.condition,
					description: `${site.description}（第 ${i + 1} 条）`,
					location: {
						lat: site.location.lat,
						lon: site.location.lon,
						source: 'gnss',
						accuracyM: 4,
						samples: 10
					},
					photos,
					surveyors: ['测试员'],
					surveyedOn: at.slice(0, 10),
					updatedAt: at
				};
				rows.push({
					record: {
						id,
						countyCode: site.countyCode,
						kind: '复查',
						siteCode: site.code,
						localState: 'finalized',
						outbox: 'queued',
						locationTaken: true,
						record,
						createdAt: new Date(Date.now() - startedDaysAgo * 86_400_000).toISOString(),
						updatedAt: at
					},
					photos: metas,
					blobs
				});
			}
			await new Promise<void>((resolve, reject) => {
				const tx = db.transaction(['records', 'photos', 'photoBlobs'], 'readwrite');
				for (const row of rows) {
					tx.objectStore('records').put(row.record);
					for (const photo of row.photos) tx.objectStore('photos').put(photo);
					for (const blob of row.blobs) tx.objectStore('photoBlobs').put(blob);
				}
				tx.oncomplete = () => resolve();
				tx.onerror = () => reject(tx.error);
			});
			db.close();
			return { ids, hashes };
		},
		{ sites, jpeg, perRecord: options.photosPerRecord, startedDaysAgo: options.startedDaysAgo ?? 0 }
	);
}

/** Counts of the photo stores, straight from IndexedDB. */
export function photoRows(page: Page): Promise<{ photos: number; photoBlobs: number }> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const count = (store: string) =>
			new Promise<number>((resolve, reject) => {
				const req = db.transaction(store).objectStore(store).count();
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
		const result = { photos: await count('photos'), photoBlobs: await count('photoBlobs') };
		db.close();
		return result;
	});
}

/** Writes a record row straight into IndexedDB (a state an older version of the app left). */
export async function putRecordRow(page: Page, row: object): Promise<void> {
	await page.evaluate(async (value) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		await new Promise<void>((resolve, reject) => {
			const tx = db.transaction('records', 'readwrite');
			tx.objectStore('records').put(value);
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		db.close();
	}, row);
}

/** A device setting's value as stored in IndexedDB (undefined when unset). */
export function storedSetting(page: Page, key: string): Promise<unknown> {
	return page.evaluate(async (settingKey) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const row = await new Promise<{ value: unknown } | undefined>((resolve, reject) => {
			const req = db.transaction('settings').objectStore('settings').get(settingKey);
			req.onsuccess = () => resolve(req.result as { value: unknown } | undefined);
			req.onerror = () => reject(req.error);
		});
		db.close();
		return row?.value;
	}, key);
}

/**
 * Screenshots of a page at both tablet sizes, landscape then portrait, into `dir` as
 * `${name}-${w}x${h}.png`; `ready` waits for what must be drawn first. Leaves it at 1280×800.
 */
export async function shootTabletSizes(
	page: Page,
	dir: string,
	name: string,
	options: { fullPage?: boolean; ready?: () => Promise<void> } = {}
): Promise<void> {
	mkdirSync(dir, { recursive: true });
	for (const [width, height] of [
		[1280, 800],
		[800, 1280]
	] as const) {
		await page.setViewportSize({ width, height });
		await options.ready?.();
		await page.screenshot({
			path: join(dir, `${name}-${width}x${height}.png`),
			fullPage: options.fullPage ?? false
		});
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}
