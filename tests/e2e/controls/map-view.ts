import { expect, type Locator } from '@playwright/test';

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

/** A Leaflet map of the app (BaseMap): it reports `data-ready`, `data-bounds` and `data-size`. */
export class MapView {
	constructor(readonly root: Locator) {}

	async waitReady(): Promise<void> {
		await expect(this.root).toHaveAttribute('data-ready', 'true');
	}

	/** Lets a pan or zoom under way finish before positions are read. */
	async settle(ms = 300): Promise<void> {
		await this.root.page().waitForTimeout(ms);
	}

	/** Where the point must be drawn, relative to the map's top-left corner. */
	async pixelOf(lat: number, lon: number): Promise<{ x: number; y: number }> {
		const [bounds, size] = await Promise.all([
			this.root.getAttribute('data-bounds'),
			this.root.getAttribute('data-size')
		]);
		return expectedPixel(bounds!, size!, lat, lon);
	}

	/** Taps the map where the point is. */
	async tapAt(lat: number, lon: number): Promise<void> {
		await this.root.click({ position: await this.pixelOf(lat, lon) });
	}

	/** Taps the map at a pixel of its own. */
	async tapPixel(position: { x: number; y: number }): Promise<void> {
		await this.root.click({ position });
	}
}
