import type { Locator } from '@playwright/test';

/**
 * A question that needs a yes before an action (ConfirmPanel and the like): its text, 取消, and
 * the button that goes ahead.
 */
export class ConfirmDialog {
	constructor(
		/** The question, with its buttons. */
		readonly root: Locator,
		/** The button that goes ahead. */
		readonly yes: Locator
	) {}

	/** ConfirmPanel with `testid` inside `scope`: its yes button is `${testid}-yes`. */
	static panel(scope: { getByTestId(testid: string): Locator }, testid: string): ConfirmDialog {
		return new ConfirmDialog(scope.getByTestId(testid), scope.getByTestId(`${testid}-yes`));
	}

	get cancelButton(): Locator {
		return this.root.getByRole('button', { name: '取消' });
	}

	async confirm(): Promise<void> {
		await this.yes.click();
	}

	async cancel(): Promise<void> {
		await this.cancelButton.click();
	}
}
