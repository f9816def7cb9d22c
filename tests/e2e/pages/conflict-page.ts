import type { Locator, Page } from '@playwright/test';
import { FieldPage } from './field-page.js';

/** One field of a conflict: the server's value, the device's, who changed it, the two choices. */
export class ConflictField {
	readonly serverValue: Locator;
	readonly mineValue: Locator;
	readonly changedBy: Locator;

	constructor(readonly root: Locator) {
		this.serverValue = root.getByTestId('conflict-server-value');
		this.mineValue = root.getByTestId('conflict-mine-value');
		this.changedBy = root.getByTestId('conflict-changed-by');
	}

	async chooseMine(): Promise<void> {
		await this.root.getByTestId('choose-mine').click();
	}

	async chooseServer(): Promise<void> {
		await this.root.getByTestId('choose-server').click();
	}
}

/** A record's conflict (/records/{id}/conflict): decided field by field, then saved. */
export class ConflictPage extends FieldPage {
	readonly title: Locator;
	/** Shown while the server's history cannot be read: `data-state` says why. */
	readonly history: Locator;
	readonly fields: Locator;
	readonly changedBy: Locator;
	readonly progress: Locator;
	readonly saveButton: Locator;

	constructor(page: Page) {
		super(page);
		this.title = page.getByTestId('conflict-title');
		this.history = page.getByTestId('conflict-history');
		this.fields = page.getByTestId('conflict-field');
		this.changedBy = page.getByTestId('conflict-changed-by');
		this.progress = page.getByTestId('conflict-progress');
		this.saveButton = page.getByTestId('conflict-save');
	}

	field(name: string): ConflictField {
		return new ConflictField(
			this.page.locator(`[data-testid="conflict-field"][data-field="${name}"]`)
		);
	}

	async save(): Promise<void> {
		await this.saveButton.click();
	}
}
