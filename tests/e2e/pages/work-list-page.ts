import type { Locator, Page } from '@playwright/test';
import { MapView } from '../controls/map-view.js';
import { FieldPage } from './field-page.js';

/** The work list (/sites): search, the list of the county's sites, and their map. */
export class WorkListPage extends FieldPage {
	readonly search: Locator;
	readonly resultCount: Locator;
	/** The scrolling list. */
	readonly list: Locator;
	readonly rows: Locator;
	readonly map: MapView;
	readonly myLocationAccuracy: Locator;

	constructor(page: Page) {
		super(page);
		this.search = page.getByTestId('site-search');
		this.resultCount = page.getByTestId('result-count');
		this.list = page.getByTestId('site-list');
		this.rows = page.getByTestId('site-row');
		this.map = new MapView(page.getByTestId('site-map'));
		this.myLocationAccuracy = page.getByTestId('my-location-accuracy');
	}

	async goto(): Promise<void> {
		await this.page.goto('/sites');
	}

	async searchFor(text: string): Promise<void> {
		await this.search.fill(text);
	}

	/** A site's row, by its code. */
	row(code: string): Locator {
		return this.page.locator(`[data-testid="site-row"][data-code="${code}"]`);
	}

	/** The marker of the selected site on the map. */
	selectedMarker(code: string): Locator {
		return this.page.locator(`.selected-site [data-code="${code}"]`);
	}

	/** Selects a row: its site is shown on the map. */
	async select(row: Locator): Promise<void> {
		await row.getByRole('button').first().click();
	}

	/** The pressed select button of a row: shown when its site is the selected one. */
	selectedIn(row: Locator): Locator {
		return row.getByRole('button', { pressed: true });
	}

	/** Opens a row's site page. */
	async open(row: Locator): Promise<void> {
		await row.getByRole('link').click();
	}

	/** Searches, then opens the first row's site page. */
	async openFirstFound(text: string): Promise<void> {
		await this.searchFor(text);
		await this.open(this.rows.first());
	}

	/** 我的位置 on the map. */
	async showMyLocation(): Promise<void> {
		await this.page.getByTestId('my-location').click();
	}

	/** In portrait: the 地图 or the 列表 tab. */
	async showTab(name: '地图' | '列表'): Promise<void> {
		await this.page.getByRole('tab', { name: new RegExp(name) }).click();
	}

	/** Scrolls the list to its end a few times, as a finger would keep flicking. */
	async scrollToEnd(times = 5): Promise<void> {
		for (let i = 0; i < times; i++) {
			await this.list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
			await this.page.waitForTimeout(200);
		}
	}
}
