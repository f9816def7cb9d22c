import type { Locator, Page } from '@playwright/test';

/** `/registry`: the public search, its results, its map and the downloads. */
export class PublicRegistryPage {
	readonly query: Locator;
	readonly submit: Locator;
	readonly results: Locator;
	readonly total: Locator;
	readonly map: Locator;
	readonly heading: Locator;
	readonly language: Locator;

	constructor(readonly page: Page) {
		this.query = page.getByTestId('public-q');
		this.submit = page.getByTestId('public-submit');
		this.results = page.getByTestId('public-result');
		this.total = page.getByTestId('public-total');
		this.map = page.getByTestId('public-map');
		this.heading = page.getByRole('heading', { level: 1 });
		this.language = page.getByTestId('public-language');
	}

	async goto(): Promise<void> {
		await this.page.goto('/registry');
	}

	async search(text: string): Promise<void> {
		await this.query.fill(text);
		await this.submit.click();
		await this.page.waitForURL(/\/registry\?q=/);
	}

	result(code: string): Locator {
		return this.page.locator(`[data-testid="public-result"][data-code="${code}"]`);
	}

	async open(code: string): Promise<void> {
		await this.result(code).click();
		await this.page.waitForURL(`**/registry/${code}`);
	}

	download(key: 'csv' | 'shp' | 'xlsx' | 'geojson' | 'kml' | 'gpkg'): Locator {
		return this.page.getByTestId(`download-${key}`);
	}

	async switchLanguage(): Promise<void> {
		await this.language.click();
		await this.page.waitForLoadState('load');
	}
}

/** `/registry/{code}`: one site's public page. */
export class PublicSitePage {
	readonly title: Locator;
	readonly location: Locator;
	readonly map: Locator;
	readonly photos: Locator;
	readonly fields: Locator;

	constructor(readonly page: Page) {
		this.title = page.getByTestId('public-site-title');
		this.location = page.getByTestId('public-site-location');
		this.map = page.getByTestId('public-site-map');
		this.photos = page.getByTestId('public-photo');
		this.fields = page.getByTestId('public-site-fields');
	}
}
