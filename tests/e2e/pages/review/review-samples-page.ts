import type { Locator, Page } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** What the draw form asks; counties and statuses replace what is ticked. */
export type DrawForm = {
	percent?: string;
	counties?: readonly string[];
	statuses?: readonly string[];
	seed?: string;
	note?: string;
};

/** 抽查 (/review/samples): the draw form with its confirmation, and the past draws. */
export class ReviewSamplesPage extends ReviewPage {
	readonly heading: Locator;
	/** The header's link to this page (the city's only). */
	readonly navLink: Locator;
	readonly percentError: Locator;
	readonly countiesError: Locator;
	readonly formError: Locator;
	readonly confirmation: Locator;
	readonly confirmSummary: Locator;
	readonly rows: Locator;
	/** The page that answers a reviewer without the right (403). */
	readonly error: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { level: 1 });
		this.navLink = page.getByTestId('nav-samples');
		this.percentError = page.getByTestId('error-percent');
		this.countiesError = page.getByTestId('error-counties');
		this.formError = page.getByTestId('draw-error');
		this.confirmation = page.getByTestId('draw-confirm');
		this.confirmSummary = page.getByTestId('draw-confirm-summary');
		this.rows = page.getByTestId('sample-row');
		this.error = page.getByTestId('review-error');
	}

	async goto(): Promise<void> {
		await this.page.goto('/review/samples');
	}

	/** Fills the draw form (what is not given stays as it is). */
	async fill(form: DrawForm): Promise<void> {
		if (form.percent !== undefined) await this.page.getByTestId('draw-percent').fill(form.percent);
		if (form.counties) {
			for (const box of await this.page.locator('[data-testid^="draw-county-"]').all()) {
				const code = (await box.getAttribute('value'))!;
				await box.setChecked(form.counties.includes(code));
			}
		}
		if (form.statuses) {
			for (const box of await this.page.locator('[data-testid^="draw-status-"]').all()) {
				const status = (await box.getAttribute('value'))!;
				await box.setChecked(form.statuses.includes(status));
			}
		}
		if (form.seed !== undefined) await this.page.getByTestId('draw-seed').fill(form.seed);
		if (form.note !== undefined) await this.page.getByTestId('draw-note').fill(form.note);
	}

	/** 预览抽取: the confirmation (or the form's errors) comes back. */
	async askDraw(): Promise<void> {
		await this.page.getByTestId('draw-preview').click();
	}

	/** The confirmation's row of one county: its records and how many the draw takes. */
	planRow(county: string): Locator {
		return this.confirmation.locator(`[data-testid="plan-county"][data-county="${county}"]`);
	}

	/** 确认抽取: draws, and the new sample's page opens. */
	async confirm(): Promise<void> {
		await this.page.getByTestId('draw-submit').click();
		await this.page.waitForURL(/\/review\/samples\/\d+$/);
	}

	async cancel(): Promise<void> {
		await this.page.getByTestId('draw-cancel').click();
	}

	row(id: number): Locator {
		return this.page.locator(`[data-testid="sample-row"][data-sample-id="${id}"]`);
	}

	async open(id: number): Promise<void> {
		await this.row(id).getByRole('link').click();
		await this.page.waitForURL(new RegExp(`/review/samples/${id}$`));
	}
}

/** One sampled record on a sample's page: its conclusion and the buttons that give it. */
export class SampleItemRow {
	readonly conclusion: Locator;
	readonly note: Locator;
	readonly message: Locator;
	readonly changed: Locator;
	readonly passButton: Locator;
	readonly failButton: Locator;
	readonly recordLink: Locator;

	constructor(readonly root: Locator) {
		this.conclusion = root.getByTestId('item-conclusion');
		this.note = root.getByTestId('item-note');
		this.message = root.getByTestId('item-message');
		this.changed = root.getByTestId('item-changed');
		this.passButton = root.getByTestId('item-pass');
		this.failButton = root.getByTestId('item-fail');
		this.recordLink = root.getByRole('link');
	}

	/** 合格 or 不合格, with a note when given (an empty note clears it). */
	async conclude(conclusion: '合格' | '不合格', note?: string): Promise<void> {
		if (note !== undefined) await this.note.fill(note);
		await (conclusion === '合格' ? this.passButton : this.failButton).click();
	}
}

/** 抽查 #n (/review/samples/{id}): the draw, the results per county and the sampled records. */
export class SamplePage extends ReviewPage {
	readonly title: Locator;
	readonly seed: Locator;
	readonly progress: Locator;
	readonly items: Locator;
	readonly total: Locator;

	constructor(page: Page) {
		super(page);
		this.title = page.getByTestId('sample-title');
		this.seed = page.getByTestId('sample-seed');
		this.progress = page.getByTestId('sample-progress');
		this.items = page.getByTestId('sample-item');
		this.total = page.getByTestId('total-result');
	}

	/** The sample's id, from the URL. */
	id(): number {
		return Number(/\/review\/samples\/(\d+)/.exec(this.page.url())![1]);
	}

	async goto(id: number): Promise<void> {
		await this.page.goto(`/review/samples/${id}`);
	}

	item(recordId: string): SampleItemRow {
		return new SampleItemRow(
			this.page.locator(`[data-testid="sample-item"][data-record-id="${recordId}"]`)
		);
	}

	/** The ids of the sampled records, in the page's order. */
	async recordIds(): Promise<string[]> {
		return (await this.items.evaluateAll((rows) =>
			rows.map((r) => r.getAttribute('data-record-id'))
		)) as string[];
	}

	/** A cell of a county's results: population, sampled, concluded, passed, failed or rate. */
	countyCell(
		county: string,
		column: 'population' | 'sampled' | 'concluded' | 'passed' | 'failed' | 'rate'
	): Locator {
		return this.page.locator(
			`[data-testid="county-result"][data-county="${county}"] [data-col="${column}"]`
		);
	}
}
