import type { Locator, Page, Response } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** 导入设备备份 (/review/imports): a tablet's backup file, imported record by record. */
export class ReviewImportsPage extends ReviewPage {
	readonly heading: Locator;
	readonly report: Locator;
	readonly progress: Locator;
	/** One row a record: `data-status` is accepted, unchanged, … */
	readonly results: Locator;
	readonly error: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { name: '导入设备备份' });
		this.report = page.getByTestId('import-report');
		this.progress = page.getByRole('progressbar');
		this.results = page.getByTestId('import-result');
		this.error = page.getByTestId('import-error');
	}

	async goto(): Promise<Response | null> {
		return this.page.goto('/review/imports');
	}

	/** Chooses a file (a path, or bytes) and starts the import. */
	async importFile(file: Parameters<Locator['setInputFiles']>[0]): Promise<void> {
		await this.page.getByTestId('import-file').setInputFiles(file);
		await this.page.getByTestId('import-start').click();
	}
}
