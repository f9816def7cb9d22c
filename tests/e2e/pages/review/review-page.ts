import type { Page } from '@playwright/test';
import { ReviewHeader } from '../../controls/review-header.js';

/** A page of the review area: its header is on every one. */
export abstract class ReviewPage {
	readonly header: ReviewHeader;

	constructor(readonly page: Page) {
		this.header = new ReviewHeader(page);
	}
}
