/** Helpers of the review-area specs: a reviewer's login form, and a record queued on a tablet. */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { demoRegistry } from './fixtures';

/** The demo password the webServer of playwright.config.ts seeds (DEMO_PASSWORD, else the default). */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'ordos-demo';

/** Fills and sends the form of /review/login. */
export async function reviewLogin(
	page: Page,
	username: string,
	password = DEMO_PASSWORD
): Promise<void> {
	await page.getByTestId('review-login-username').fill(username);
	await page.getByTestId('review-login-password').fill(password);
	await page.getByTestId('review-login-submit').click();
}

/** Logs in on the field app's /login and waits until the account shows in the top bar. */
export async function deviceLogin(page: Page, username: string): Promise<void> {
	await page.goto('/login');
	await page.getByTestId('login-username').fill(username);
	await page.getByTestId('login-password').fill(DEMO_PASSWORD);
	await page.getByTestId('login-submit').click();
	await page.getByTestId('account').filter({ hasText: username }).waitFor();
}

/**
 * Puts a finalized re-check of the county's `siteIndex`-th registered site, with one photo, on
 * the device as the form leaves it (queued for upload), straight into IndexedDB. Returns its id.
 */
export async function queueRecord(page: Page, county: string, siteIndex: number): Promise<string> {
	const site = demoRegistry().filter((s) => s.countyCode === county)[siteIndex]!;
	const jpeg = readFileSync('tests/fixtures/photos/site-hangjin-1600x1200.jpg').toString('base64');
	return page.evaluate(
		async ({ site, jpeg }) => {
			const base = Uint8Array.from(atob(jpeg), (c) => c.charCodeAt(0));
			const id = crypto.randomUUID();
			// bytes after the JPEG's end marker make the photo distinct and still a JPEG
			const tail = new TextEncoder().encode(`#${id}`);
			const bytes = new Uint8Array(base.length + tail.length);
			bytes.set(base);
			bytes.set(tail, base.length);
			const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
				.map((b) => b.toString(16).padStart(2, '0'))
				.join('');
			const now = new Date().toISOString();
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
				description: site.description,
				location: {
					lat: site.location.lat,
					lon: site.location.lon,
					source: 'gnss',
					accuracyM: 4,
					samples: 10
				},
				photos: [{ sha256, kind: '全景' }],
				surveyors: ['测试员'],
				surveyedOn: now.slice(0, 10),
				updatedAt: now
			};
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const open = indexedDB.open('ordos-survey');
				open.onsuccess = () => resolve(open.result);
				open.onerror = () => reject(open.error);
			});
			await new Promise<void>((resolve, reject) => {
				const tx = db.transaction(['records', 'photos', 'photoBlobs'], 'readwrite');
				tx.objectStore('records').put({
					id,
					countyCode: site.countyCode,
					kind: '复查',
					siteCode: site.code,
					localState: 'finalized',
					outbox: 'queued',
					locationTaken: true,
					record,
					createdAt: now,
					updatedAt: now
				});
				tx.objectStore('photos').put({
					key: `${id}:${sha256}`,
					recordId: id,
					sha256,
					kind: '全景',
					number: 1,
					mimeType: 'image/jpeg',
					bytes: bytes.length,
					width: 1600,
					height: 1200,
					createdAt: now
				});
				tx.objectStore('photoBlobs').put({
					sha256,
					blob: new Blob([bytes], { type: 'image/jpeg' })
				});
				tx.oncomplete = () => resolve();
				tx.onerror = () => reject(tx.error);
			});
			db.close();
			return id;
		},
		{ site, jpeg }
	);
}
