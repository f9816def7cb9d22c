import type { Locator, Page, Response } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** 名录导入 (/review/registry/import): upload, map the columns, read the report, confirm. */
export class ReviewRegistryImportPage extends ReviewPage {
	readonly heading: Locator;
	readonly read: Locator;
	readonly mapping: Locator;
	readonly report: Locator;
	readonly counts: Locator;
	readonly problems: Locator;
	readonly problemsNotice: Locator;
	readonly changes: Locator;
	readonly confirmButton: Locator;
	readonly result: Locator;
	readonly error: Locator;
	readonly history: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { name: '导入登记的不可移动文物名录' });
		this.read = page.getByTestId('regimport-read');
		this.mapping = page.getByTestId('regimport-mapping');
		this.report = page.getByTestId('regimport-report');
		this.counts = page.getByTestId('regimport-counts');
		this.problems = page.getByTestId('regimport-problem');
		this.problemsNotice = page.getByTestId('regimport-problems-notice');
		this.changes = page.getByTestId('regimport-change');
		this.confirmButton = page.getByTestId('regimport-confirm');
		this.result = page.getByTestId('regimport-result');
		this.error = page.getByTestId('regimport-error');
		this.history = page.getByTestId('regimport-history');
	}

	async goto(): Promise<Response | null> {
		return this.page.goto('/review/registry/import');
	}

	/** Chooses a file (a path, or bytes) and uploads it. */
	async uploadFile(file: Parameters<Locator['setInputFiles']>[0]): Promise<void> {
		await this.page.getByTestId('regimport-file').setInputFiles(file);
		await this.page.getByTestId('regimport-upload').click();
	}

	/** The column chosen for a field (its select). */
	column(field: string): Locator {
		return this.page.getByTestId(`map-${field}`);
	}

	async mapField(field: string, header: string): Promise<void> {
		await this.column(field).selectOption(header);
	}

	async dryRun(): Promise<void> {
		await this.page.getByTestId('regimport-dry-run').click();
	}

	async confirm(): Promise<void> {
		await this.confirmButton.click();
	}
}
