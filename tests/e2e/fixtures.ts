import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { RegisteredSite } from '../../src/lib/domain/schemas/site';
import type { CountyCollection } from '../../src/lib/domain/geometry/counties';

/** Waits until the service worker is active and controls the page (TOOLCHAIN.md pitfall 7). */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise<void>((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
					once: true
				})
			);
		}
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

/**
 * Where Leaflet must draw a point, computed independently from the map's reported bounds and
 * size with the Web Mercator projection.
 */
export function expectedPixel(
	bounds: string,
	size: string,
	lat: number,
	lon: number
): { x: number; y: number } {
	const [south, west, north, east] = bounds.split(',').map(Number) as [
		number,
		number,
		number,
		number
	];
	const [width, height] = size.split(',').map(Number) as [number, number];
	const mercY = (deg: number) => Math.log(Math.tan(Math.PI / 4 + (deg * Math.PI) / 360));
	return {
		x: ((lon - west) / (east - west)) * width,
		y: ((mercY(north) - mercY(lat)) / (mercY(north) - mercY(south))) * height
	};
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
	await page.goto('/');
	await waitForServiceWorker(page);
	await page.getByRole('button', { name: new RegExp(county) }).click();
	await expect(page.getByTestId('current-county')).toHaveText(county);
	await goOffline(context);
}

/** The id of the record whose form is open. */
export function recordIdOf(page: Page): string {
	return new URL(page.url()).pathname.split('/records/')[1]!;
}
