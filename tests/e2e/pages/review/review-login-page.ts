import type { Locator, Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../accounts.js';
import { ReviewPage } from './review-page.js';

/** /review/login: a reviewer's login form. */
export class ReviewLoginPage extends ReviewPage {
	readonly heading: Locator;
	readonly error: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { name: '审核登录' });
		this.error = page.getByTestId('review-login-error');
	}

	/** The form, with the page to go to after it. */
	async goto(next?: string): Promise<void> {
		await this.page.goto(next ? `/review/login?next=${next}` : '/review/login');
	}

	/** Fills the form and sends it, whatever the server answers. */
	async logIn(username: string, password = DEMO_PASSWORD): Promise<void> {
		await this.page.getByTestId('review-login-username').fill(username);
		await this.page.getByTestId('review-login-password').fill(password);
		await this.page.getByTestId('review-login-submit').click();
	}
}

/** /review: the queue (review-queue-page.ts works it), or the note that the area is for reviewers only. */
export class ReviewHomePage extends ReviewPage {
	readonly queue: Locator;
	readonly reviewersOnly: Locator;

	constructor(page: Page) {
		super(page);
		this.queue = page.getByTestId('queue');
		this.reviewersOnly = page.getByTestId('reviewers-only');
	}

	async goto(): Promise<void> {
		await this.page.goto('/review');
	}
}
