import type { Locator, Page } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** 名录发布 (/review/registry): the publish form (the city's) and the published versions. */
export class ReviewRegistryPage extends ReviewPage {
	readonly heading: Locator;
	/** The header's link to this page. */
	readonly navLink: Locator;
	readonly pending: Locator;
	readonly note: Locator;
	readonly publishButton: Locator;
	readonly formError: Locator;
	readonly published: Locator;
	readonly cityOnly: Locator;
	readonly rows: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { level: 1 });
		this.navLink = page.getByTestId('nav-registry');
		this.pending = page.getByTestId('registry-pending');
		this.note = page.getByTestId('publish-note');
		this.publishButton = page.getByTestId('publish-submit');
		this.formError = page.getByTestId('publish-error');
		this.published = page.getByTestId('registry-published');
		this.cityOnly = page.getByTestId('registry-city-only');
		this.rows = page.getByTestId('version-row');
	}

	async goto(): Promise<void> {
		await this.page.goto('/review/registry');
	}

	row(version: number): Locator {
		return this.page.locator(`[data-testid="version-row"][data-version="${version}"]`);
	}

	/** Writes the note and publishes, answering the browser's confirmation with `confirm`. */
	async publish(note: string, confirm = true): Promise<void> {
		await this.note.fill(note);
		this.page.once('dialog', (dialog) => void (confirm ? dialog.accept() : dialog.dismiss()));
		await this.publishButton.click();
	}

	/** Opens the comparison of `version` with the one before it. */
	async compareWithPrevious(version: number): Promise<void> {
		await this.row(version).getByTestId('compare-previous').click();
	}
}

/** 版本对比 (/review/registry/compare): the summary, then the sites added, lost and changed. */
export class RegistryComparePage extends ReviewPage {
	readonly summary: Locator;
	readonly added: Locator;
	readonly lost: Locator;
	readonly changed: Locator;

	constructor(page: Page) {
		super(page);
		this.summary = page.getByTestId('compare-summary');
		this.added = page.getByTestId('added-site');
		this.lost = page.getByTestId('lost-site');
		this.changed = page.getByTestId('changed-site');
	}

	site(list: 'added' | 'lost' | 'changed', code: string): Locator {
		return this[list].and(this.page.locator(`[data-code="${code}"]`));
	}

	/** The row of `field` under a changed site. */
	field(code: string, field: string): Locator {
		return this.site('changed', code).locator(
			`[data-testid="changed-field"][data-field="${field}"]`
		);
	}

	/** Opens a site's page (its lineage) from one of the lists. */
	async open(list: 'added' | 'lost' | 'changed', code: string): Promise<void> {
		await this.site(list, code).getByRole('link', { name: code }).click();
	}
}

/** One site of a version (/review/registry/{n}/sites/{code}): its lineage and its fields. */
export class RegistrySitePage extends ReviewPage {
	readonly title: Locator;
	readonly lost: Locator;
	readonly decisions: Locator;
	readonly recordLink: Locator;

	constructor(page: Page) {
		super(page);
		this.title = page.getByTestId('site-title');
		this.lost = page.getByTestId('site-lost');
		this.decisions = page.getByTestId('lineage-decision');
		this.recordLink = page.getByTestId('lineage-record');
	}
}
