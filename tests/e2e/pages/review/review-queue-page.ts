import type { Locator, Page, Response } from '@playwright/test';
import { ConfirmDialog } from '../../controls/confirm-dialog.js';
import { ReviewPage } from './review-page.js';

/**
 * /review: the review queue, its status counts, filters, rows, pages and shortcuts, and bulk
 * approval (the rows' checkboxes, the bar, the confirmation and the outcomes).
 */
export class ReviewQueuePage extends ReviewPage {
	readonly queue: Locator;
	readonly total: Locator;
	readonly rows: Locator;
	readonly selectedRow: Locator;
	readonly empty: Locator;
	readonly shortcuts: Locator;
	readonly error: Locator;
	/** The header checkbox: every row of this page that can be approved in bulk. */
	readonly pickAll: Locator;
	readonly bulkCount: Locator;
	/** Why the last key did nothing (or the bar's hint). */
	readonly bulkNotice: Locator;
	readonly bulkApproveButton: Locator;
	/** The confirmation before approving: the records it lists, 取消 and 确认通过. */
	readonly bulkConfirm: ConfirmDialog;
	readonly bulkOutcomes: Locator;

	constructor(page: Page) {
		super(page);
		this.queue = page.getByTestId('queue');
		this.total = page.getByTestId('queue-total');
		this.rows = page.getByTestId('queue-row');
		this.selectedRow = page.locator('[data-testid="queue-row"][aria-selected="true"]');
		this.empty = page.getByTestId('queue-empty');
		this.shortcuts = page.getByTestId('queue-shortcuts');
		this.error = page.getByTestId('review-error');
		this.pickAll = page.getByTestId('pick-all');
		this.bulkCount = page.getByTestId('bulk-count');
		this.bulkNotice = page.getByTestId('bulk-notice');
		this.bulkApproveButton = page.getByTestId('bulk-approve');
		this.bulkConfirm = ConfirmDialog.panel(page, 'bulk-confirm');
		this.bulkOutcomes = page.getByTestId('bulk-outcomes');
	}

	async goto(search = ''): Promise<Response | null> {
		return this.page.goto(`/review${search}`);
	}

	/** The row of record `id`. */
	row(id: string): Locator {
		return this.page.locator(`[data-testid="queue-row"][data-id="${id}"]`);
	}

	/** The team named in the row of `id` (or in `row`). */
	teamIn(row: string | Locator): Locator {
		return (typeof row === 'string' ? this.row(row) : row).getByTestId('row-team');
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

	/** Types `text` into the filter form's field `name`, as a reviewer does with the focus in it. */
	async typeInFilter(name: string, text: string): Promise<void> {
		await this.page.getByTestId(`filter-${name}`).click();
		await this.page.keyboard.type(text);
	}

	/** Presses keys on the page, as a reviewer does with the focus on no field. */
	async press(...keys: string[]): Promise<void> {
		for (const key of keys) await this.page.keyboard.press(key);
	}

	/** The checkbox that picks record `id` for bulk approval. */
	pickBox(id: string): Locator {
		return this.row(id).getByTestId('queue-row-pick');
	}

	/** The note in the row of `id` saying it cannot be approved in bulk. */
	blockedNote(id: string): Locator {
		return this.row(id).getByTestId('bulk-blocked');
	}

	/** Ticks or unticks record `id` with the mouse. */
	async pick(id: string): Promise<void> {
		await this.pickBox(id).click();
	}

	/** Makes record `id` the current row, with a click on its row (not on its link). */
	async focusRow(id: string): Promise<void> {
		const cell = this.row(id).locator('td.num').first();
		// clear of the sticky bulk bar, which may cover the row where the page happens to stop
		await cell.evaluate((el) => el.scrollIntoView({ block: 'center' }));
		await cell.click();
	}

	/** 批量通过: opens the confirmation listing the picked records. */
	async askBulkApprove(): Promise<ConfirmDialog> {
		await this.bulkApproveButton.click();
		return this.bulkConfirm;
	}

	/** The row of record `id` in the open confirmation. */
	confirmRow(id: string): Locator {
		return this.bulkConfirm.root.locator(`[data-testid="bulk-confirm-row"][data-id="${id}"]`);
	}

	/** The outcome line of record `id` after a bulk approval. */
	outcome(id: string): Locator {
		return this.bulkOutcomes.locator(`[data-testid="bulk-outcome"][data-id="${id}"]`);
	}
}
