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
}
