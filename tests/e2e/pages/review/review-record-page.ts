import type { Locator, Page, Response } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** /review/records/{id}: the reviewer's record page, its sections, map, photos and decision. */
export class ReviewRecordPage extends ReviewPage {
	readonly root: Locator;
	readonly name: Locator;
	readonly status: Locator;
	readonly revision: Locator;
	readonly fields: Locator;
	readonly sections: Locator;
	readonly findings: Locator;
	readonly compare: Locator;
	readonly map: Locator;
	readonly mapPhotos: Locator;
	readonly nearby: Locator;
	readonly nearbyItems: Locator;
	readonly distance: Locator;
	readonly photos: Locator;
	readonly thumbs: Locator;
	readonly photoView: Locator;
	readonly history: Locator;
	readonly historyEntries: Locator;
	readonly decision: Locator;
	readonly decisionResult: Locator;
	readonly notYours: Locator;
	readonly approveButton: Locator;
	readonly shortcuts: Locator;
	readonly commentRows: Locator;
	/** 刷新页面 beside a decision the server refused as stale (409). */
	readonly decisionReload: Locator;
	/** 更正记录内容: the correction form (a `<details>`), what the server said, and its 刷新. */
	readonly correction: Locator;
	readonly correctionResult: Locator;
	readonly correctionReload: Locator;
	readonly correctionReason: Locator;

	constructor(page: Page) {
		super(page);
		this.root = page.getByTestId('review-record');
		this.name = page.getByTestId('record-name');
		this.status = page.getByTestId('record-status');
		this.revision = page.getByTestId('record-revision');
		this.fields = page.getByTestId('record-field');
		this.sections = page.getByTestId('field-section');
		this.findings = page.getByTestId('record-findings');
		this.compare = page.getByTestId('compare');
		this.map = page.getByTestId('record-map');
		this.mapPhotos = this.map.getByTestId('map-photo');
		this.nearby = page.getByTestId('record-nearby');
		this.nearbyItems = this.nearby.getByTestId('nearby-item');
		this.distance = page.getByTestId('nearby-distance');
		this.photos = page.getByTestId('record-photos');
		this.thumbs = page.getByTestId('photo-thumb');
		this.photoView = page.getByTestId('photo-view');
		this.history = page.getByTestId('record-history');
		this.historyEntries = page.getByTestId('history-entry');
		this.decision = page.getByTestId('decision-panel');
		this.decisionResult = page.getByTestId('decision-result');
		this.notYours = page.getByTestId('decision-not-yours');
		this.approveButton = this.decision.getByTestId('approve');
		this.shortcuts = page.getByTestId('record-shortcuts');
		this.commentRows = page.getByTestId('comment-row');
		this.decisionReload = page.getByTestId('decision-reload');
		this.correction = page.getByTestId('correction');
		this.correctionResult = page.getByTestId('correction-result');
		this.correctionReload = page.getByTestId('correction-reload');
		this.correctionReason = page.getByTestId('correction-reason');
	}

	async goto(id: string, search = ''): Promise<Response | null> {
		return this.page.goto(`/review/records/${id}${search}`);
	}

	/**
	 * A neighbour of this record in the queue: the previous one (k, back with j) if there is one,
	 * else the next (j, back with k), with its link.
	 */
	async queueNeighbour(): Promise<{ away: 'j' | 'k'; back: 'j' | 'k'; href: string }> {
		const prev = this.page.getByTestId('record-prev');
		if ((await prev.count()) > 0)
			return { away: 'k', back: 'j', href: (await prev.getAttribute('href')) ?? '' };
		const next = this.page.getByTestId('record-next');
		return { away: 'j', back: 'k', href: (await next.getAttribute('href')) ?? '' };
	}

	/** The row of one field (`description`, `location` …). */
	field(name: string): Locator {
		return this.page.locator(`[data-testid="record-field"][data-field="${name}"]`);
	}

	/** The finding of `rule`. */
	finding(rule: string): Locator {
		return this.findings.locator(`[data-testid="finding"][data-rule="${rule}"]`);
	}

	/** The history entry of revision `revision`. */
	historyEntry(revision: number): Locator {
		return this.page.locator(`[data-testid="history-entry"][data-revision="${revision}"]`);
	}

	/** Follows the (first) finding of `rule` to its field. */
	async followFinding(rule: string): Promise<void> {
		await this.finding(rule).first().getByTestId('finding-go').click();
	}

	/** Starts a comment from the field's own 意见 button. */
	async commentOnField(name: string): Promise<void> {
		await this.field(name).getByTestId('field-comment').click();
	}

	/** Fills comment row `index` (0-based): its text and severity. */
	async writeComment(index: number, message: string, severity: '必须修改' | '建议'): Promise<void> {
		const row = this.commentRows.nth(index);
		await row.getByTestId('comment-severity').selectOption(severity);
		await row.getByTestId('comment-message').fill(message);
	}

	/** The field a comment row is on ('' for the whole record). */
	commentPath(index: number): Locator {
		return this.commentRows.nth(index).getByTestId('comment-path');
	}

	async sendReturn(): Promise<void> {
		await this.decision.getByTestId('return').click();
	}

	async approve(reason?: string): Promise<void> {
		if (reason !== undefined) await this.decision.getByTestId('approve-reason').fill(reason);
		await this.approveButton.click();
	}

	/** Opens photo `index` (0-based) full size. */
	async openPhoto(index: number): Promise<void> {
		await this.thumbs.nth(index).click();
	}

	async setDistance(metres: number): Promise<void> {
		await this.distance.fill(String(metres));
	}

	/** Comment row `index` (0-based) as it stands: its text box. */
	commentMessage(index: number): Locator {
		return this.commentRows.nth(index).getByTestId('comment-message');
	}

	/** The correction form's row of one field, with its 原值 and its value box. */
	correctionRow(field: string): { root: Locator; value: Locator; error: Locator } {
		const root = this.correction.locator(`[data-testid="correction-row"][data-field="${field}"]`);
		return {
			root,
			value: root.getByTestId('correction-value'),
			error: root.getByTestId('correction-error')
		};
	}

	/** Opens 更正记录内容 and adds a field to correct (its current value filled in). */
	async correctField(field: string): Promise<void> {
		if ((await this.correction.getAttribute('open')) === null)
			await this.correction.locator('summary').click();
		await this.correction.getByTestId('correction-pick').selectOption(field);
		await this.correction.getByTestId('correction-add').click();
	}

	/** Types a field's corrected value (a text, number or long field). */
	async enterCorrection(field: string, value: string): Promise<void> {
		await this.correctionRow(field).value.fill(value);
	}

	/** Takes a field out of the correction. */
	async dropCorrection(field: string): Promise<void> {
		await this.correctionRow(field).root.getByTestId('correction-remove').click();
	}

	/** Writes the reason and sends the correction. */
	async saveCorrection(reason: string): Promise<void> {
		await this.correctionReason.fill(reason);
		await this.correction.getByTestId('correction-submit').click();
	}
}
