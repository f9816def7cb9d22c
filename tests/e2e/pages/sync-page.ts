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
	/** 从服务器取回队友的记录 n 条 (issue 13). */
	readonly teammatesFetched: Locator;
	readonly conflicts: Locator;
	readonly loginNeeded: Locator;
	readonly backupLink: Locator;
	readonly lastSync: Locator;
	readonly rows: Locator;
	readonly progress: Locator;
	/** 名录下载 (issue 13): the sizes of each registry, the choice, its download. */
	readonly registry: RegistryChoice;

	constructor(page: Page) {
		super(page);
		this.syncNowButton = page.getByTestId('sync-now');
		this.queued = page.getByTestId('sync-queued');
		this.error = page.getByTestId('sync-error');
		this.fetched = page.getByTestId('sync-fetched');
		this.teammatesFetched = page.getByTestId('sync-teammates');
		this.conflicts = page.getByTestId('sync-conflicts');
		this.loginNeeded = page.getByTestId('sync-login-needed');
		this.backupLink = page.getByTestId('sync-backup-link');
		this.lastSync = page.getByTestId('last-sync');
		this.rows = page.getByTestId('sync-record');
		this.progress = page.getByRole('progressbar').first();
		this.registry = new RegistryChoice(page);
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

	/** The 队友 <name> mark of a teammate's record in its row (issue 13). */
	teammateTag(id: string): Locator {
		return this.row(id).getByTestId('teammate-tag');
	}

	/** The rows showing a status. */
	rowsWithStatus(status: string): Locator {
		return this.page.locator(`[data-testid="sync-record"][data-status="${status}"]`);
	}
}

/** The sync screen's 名录下载 card: 本队分配 or 全旗区, with their sizes, then the download. */
export class RegistryChoice {
	readonly card: Locator;
	readonly teamOption: Locator;
	readonly countyOption: Locator;
	/** 本队分配 N 处文物，约 X KB */
	readonly teamSize: Locator;
	/** 全旗区 M 处，约 Y MB */
	readonly countySize: Locator;
	readonly chooseFirst: Locator;
	/** 设备上：… what the device holds from the server. */
	readonly held: Locator;
	readonly downloadButton: Locator;
	readonly progress: Locator;
	readonly done: Locator;

	constructor(page: Page) {
		this.card = page.getByTestId('registry-choice');
		this.teamOption = page.getByTestId('registry-option-team');
		this.countyOption = page.getByTestId('registry-option-county');
		this.teamSize = page.getByTestId('registry-size-team');
		this.countySize = page.getByTestId('registry-size-county');
		this.chooseFirst = page.getByTestId('registry-choose-first');
		this.held = page.getByTestId('registry-held');
		this.downloadButton = page.getByTestId('registry-download');
		this.progress = page.getByTestId('registry-progress');
		this.done = page.getByTestId('registry-done');
	}

	/** Downloads the registry selected and waits until it is stored. */
	async download(): Promise<void> {
		await this.downloadButton.click();
		await expect(this.done).toBeVisible();
	}
}
