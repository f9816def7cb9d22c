import type { Locator, Page } from '@playwright/test';

/** The field app's top bar (TopBar) and the banners under it (Banners), on every field screen. */
export class TopBar {
	/** The account's name, a link to /login. */
	readonly account: Locator;
	readonly currentCounty: Locator;
	readonly connectivity: Locator;
	/** 待上传 n, a link to /sync; `data-count` is the number. */
	readonly pendingSync: Locator;
	readonly demoBanner: Locator;
	readonly insecureOrigin: Locator;
	readonly storageLow: Locator;
	/** The warning that the browser refused persistent storage. */
	readonly persistRefused: Locator;
	readonly backupReminder: Locator;

	constructor(private readonly page: Page) {
		this.account = page.getByTestId('account');
		this.currentCounty = page.getByTestId('current-county');
		this.connectivity = page.getByTestId('connectivity');
		this.pendingSync = page.getByTestId('pending-sync');
		this.demoBanner = page.getByTestId('demo-banner');
		this.insecureOrigin = page.getByTestId('insecure-origin');
		this.storageLow = page.getByTestId('storage-low');
		this.persistRefused = page.getByTestId('persist-refused');
		this.backupReminder = page.getByTestId('backup-reminder');
	}

	async openAccount(): Promise<void> {
		await this.account.click();
	}

	async openSync(): Promise<void> {
		await this.pendingSync.click();
	}

	/** 知道了 on the refused-storage warning. */
	async dismissPersistRefused(): Promise<void> {
		await this.persistRefused.getByRole('button', { name: '知道了' }).click();
	}

	/** 知道了 on the refused-storage warning when it is shown (a test browser refuses storage). */
	async dismissPersistRefusedIfShown(): Promise<void> {
		const gotIt = this.persistRefused.getByRole('button', { name: '知道了' });
		if (await gotIt.isVisible()) await gotIt.click();
	}

	async switchToEnglish(): Promise<void> {
		await this.page.getByRole('button', { name: /English/ }).click();
	}

	async switchToChinese(): Promise<void> {
		await this.page.getByRole('button', { name: /中文/ }).click();
	}
}
