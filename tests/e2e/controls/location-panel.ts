import { expect, type Locator, type Page } from '@playwright/test';
import { MapView } from './map-view.js';

export type LatLon = { lat: number; lon: number };

/** The record's point (LocationPanel): GNSS with averaging, RTK, manual entry, a map pick. */
export class LocationPanel {
	/** The source of the point in use: `data-source` is gnss, rtk, manual or map. */
	readonly source: Locator;
	readonly manualLat: Locator;
	readonly manualLon: Locator;
	readonly manualApply: Locator;
	readonly gnssSampleCount: Locator;
	readonly gnssAccept: Locator;
	readonly rtkToggle: Locator;

	constructor(private readonly page: Page) {
		this.source = page.getByTestId('location-source');
		this.manualLat = page.getByTestId('manual-lat');
		this.manualLon = page.getByTestId('manual-lon');
		this.manualApply = page.getByTestId('manual-apply');
		this.gnssSampleCount = page.getByTestId('gnss-sample-count');
		this.gnssAccept = page.getByTestId('gnss-accept');
		this.rtkToggle = page.getByTestId('rtk-toggle');
	}

	/** Types a point in decimal degrees and applies it; waits until it is the manual point. */
	async enterDecimal(at: LatLon): Promise<void> {
		await this.page.getByTestId('manual-mode-decimal').click();
		await this.manualLat.fill(String(at.lat));
		await this.manualLon.fill(String(at.lon));
		await this.manualApply.click();
		await expect(this.source).toHaveAttribute('data-source', 'manual');
	}

	/** Types a point in 度分秒 and applies it; waits until it is the manual point. */
	async enterDms(lat: string, lon: string): Promise<void> {
		await this.page.getByTestId('manual-mode-dms').click();
		await this.manualLat.fill(lat);
		await this.manualLon.fill(lon);
		await this.manualApply.click();
		await expect(this.source).toHaveAttribute('data-source', 'manual');
	}

	/** An alert on the page that says `text` (a value refused). */
	alert(text: string | RegExp): Locator {
		return this.page.getByRole('alert').filter({ hasText: text });
	}

	/** Types a latitude and applies it, whatever comes of it. */
	async applyLat(lat: string): Promise<void> {
		await this.manualLat.fill(lat);
		await this.manualApply.click();
	}

	async startAveraging(): Promise<void> {
		await this.page.getByTestId('gnss-start-average').click();
	}

	/** 使用此位置: the GNSS (or RTK) fix becomes the point. */
	async acceptFix(): Promise<void> {
		await this.gnssAccept.click();
	}

	async toggleRtk(): Promise<void> {
		await this.rtkToggle.click();
	}

	/** 地图选点: opens the dialog and gives its map. */
	async openMapPick(): Promise<MapView> {
		await this.page.getByTestId('pick-on-map').click();
		return new MapView(this.page.getByRole('dialog', { name: '地图选点' }).getByTestId('site-map'));
	}
}
