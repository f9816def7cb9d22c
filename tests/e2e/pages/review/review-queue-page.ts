import type { Locator, Page, Response } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** /review: the review queue, its status counts, filters, rows, pages and shortcuts. */
export class ReviewQueuePage extends ReviewPage {
	readonly queue: Locator;
	readonly total: Locator;
	readonly rows: Locator;
	readonly selectedRow: Locator;
	readonly empty: Locator;
	readonly shortcuts: Locator;
	readonly error: Locator;

	constructor(page: Page) {
		super(page);
		this.queue = page.getByTestId('queue');
		this.total = page.getByTestId('queue-total');
		this.rows = page.getByTestId('queue-row');
		this.selectedRow = page.locator('[data-testid="queue-row"][aria-selected="true"]');
		this.empty = page.getByTestId('queue-empty');
		this.shortcuts = page.getByTestId('queue-shortcuts');
		this.error = page.getByTestId('review-error');
	}

	async goto(search = ''): Promise<Response | null> {
		return this.page.goto(`/review${search}`);
	}

	/** The row of record `id`. */
	row(id: string): Locator {
		return this.page.locator(`[data-testid="queue-row"][data-id="${id}"]`);
	}

	/** The mark of a record that arrived since the previous visit, in the row of `id`. */
	newMark(id: string): Locator {
		return this.row(id).getByTestId('new-mark');
	}

	/** The count shown beside status `status` (a server status, or `all`). */
	statusCount(status: string): Locator {
		return this.page.getByTestId('status-counts').locator(`[data-status="${status}"] b`);
	}

	/** Shows the records of one status through the status links above the filters. */
	async showStatus(status: string): Promise<void> {
		await this.page.getByTestId('status-counts').locator(`[data-status="${status}"]`).click();
	}

	/** Chooses a value in the filter form's select (`status`, `severity`, `category` …). */
	async filterBy(name: string, value: string): Promise<void> {
		await this.page.getByTestId(`filter-${name}`).selectOption(value);
	}

	/** Presses keys on the page, as a reviewer does with the focus on no field. */
	async press(...keys: string[]): Promise<void> {
		for (const key of keys) await this.page.keyboard.press(key);
	}
}
