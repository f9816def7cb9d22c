import { expect, type Locator, type Page } from '@playwright/test';
import { FieldPage } from './field-page.js';

/** The sync screen (/sync): 立即同步, what waits, what went wrong, one row a record. */
export class SyncPage extends FieldPage {
	readonly syncNowButton: Locator;
	/** 待上传 n 条. */
	readonly queued: Locator;
	/** Why the last sync stopped: `data-kind` is offline, auth, … */
	readonly error: Locator;
	readonly fetched: Locator;
	readonly conflicts: Locator;
	readonly loginNeeded: Locator;
	readonly backupLink: Locator;
	readonly lastSync: Locator;
	readonly rows: Locator;
	readonly progress: Locator;

	constructor(page: Page) {
		super(page);
		this.syncNowButton = page.getByTestId('sync-now');
		this.queued = page.getByTestId('sync-queued');
		this.error = page.getByTestId('sync-error');
		this.fetched = page.getByTestId('sync-fetched');
		this.conflicts = page.getByTestId('sync-conflicts');
		this.loginNeeded = page.getByTestId('sync-login-needed');
		this.backupLink = page.getByTestId('sync-backup-link');
		this.lastSync = page.getByTestId('last-sync');
		this.rows = page.getByTestId('sync-record');
		this.progress = page.getByRole('progressbar').first();
	}

	async goto(): Promise<void> {
		await this.page.goto('/sync');
	}

	/** 立即同步, whatever comes of it. */
	async syncNow(): Promise<void> {
		await this.syncNowButton.click();
	}

	/** Opens the screen, 立即同步 once it can be pressed, and waits until that sync is over. */
	async syncOnce(): Promise<void> {
		await this.goto();
		await expect(this.syncNowButton).toBeEnabled();
		await this.syncNowButton.click();
		await expect(this.syncNowButton).toBeEnabled();
	}

	/** The device's row of a record (its `data-status` is the status shown). */
	row(id: string): Locator {
		return this.page.locator(`[data-testid="sync-record"][data-id="${id}"]`);
	}

	/** The rows showing a status. */
	rowsWithStatus(status: string): Locator {
		return this.page.locator(`[data-testid="sync-record"][data-status="${status}"]`);
	}
}
