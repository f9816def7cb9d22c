import type { Locator } from '@playwright/test';

/** What a storage warning offers (StorageActions): 立即同步 when it can, and 去备份. */
export class StorageActions {
	readonly syncNow: Locator;
	readonly backup: Locator;

	constructor(readonly root: Locator) {
		this.syncNow = root.getByTestId('storage-sync-now');
		this.backup = root.getByTestId('storage-backup');
	}
}
