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
