import { expect, type Page } from '@playwright/test';
import type { LatLon } from './location-panel.js';
import { MapView } from './map-view.js';

/** The boundary drawn on the record's map (BoundaryEditor). */
export class BoundaryEditor {
	readonly map: MapView;

	constructor(private readonly page: Page) {
		this.map = new MapView(page.getByTestId('boundary-map'));
	}

	/** Taps a square of four corners 60 px around a point, 完成, then uses its area. */
	async drawSquareAround(at: LatLon): Promise<void> {
		await this.map.waitReady();
		await this.map.settle();
		const c = await this.map.pixelOf(at.lat, at.lon);
		await this.page.getByTestId('boundary-draw').click();
		for (const [dx, dy] of [
			[-60, -60],
			[60, -60],
			[60, 60],
			[-60, 60]
		] as const) {
			await this.map.tapPixel({ x: c.x + dx, y: c.y + dy });
		}
		await this.page.getByTestId('boundary-finish').click();
		await expect(this.map.root).toHaveAttribute('data-parts', '1');
		await this.page.getByTestId('boundary-use-area').click();
	}

	/** 清除 and its confirmation. */
	async clear(): Promise<void> {
		await this.page.getByTestId('boundary-clear').click();
		await this.page.getByTestId('boundary-confirm').click();
	}
}
