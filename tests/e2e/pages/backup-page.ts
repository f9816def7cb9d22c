import type { Download, Locator, Page } from '@playwright/test';
import { FieldPage } from './field-page.js';

/** 备份与恢复 (/backup): a zip of the unsent records, and restoring one. */
export class BackupPage extends FieldPage {
	readonly heading: Locator;
	readonly pageReminder: Locator;
	readonly unsent: Locator;
	readonly last: Locator;
	readonly done: Locator;
	readonly restoreFile: Locator;
	readonly restoreDone: Locator;
	readonly restoreSummary: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { name: '备份与恢复' });
		this.pageReminder = page.getByTestId('backup-page-reminder');
		this.unsent = page.getByTestId('backup-unsent');
		this.last = page.getByTestId('backup-last');
		this.done = page.getByTestId('backup-done');
		this.restoreFile = page.getByTestId('backup-restore-file');
		this.restoreDone = page.getByTestId('restore-done');
		this.restoreSummary = page.getByTestId('restore-summary');
	}

	async goto(): Promise<void> {
		await this.page.goto('/backup');
	}

	/** 导出备份 where the browser has no save-file picker: the zip comes as a download. */
	async exportDownload(): Promise<Download> {
		const downloading = this.page.waitForEvent('download');
		await this.page.getByTestId('backup-export').click();
		return downloading;
	}

	async restore(file: string): Promise<void> {
		await this.restoreFile.setInputFiles(file);
	}
}
