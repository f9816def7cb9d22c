import type { Locator, Page } from '@playwright/test';

/** The record form's steps, in their order. */
export const STEPS = [
	'change',
	'basic',
	'location',
	'condition',
	'photos',
	'people',
	'review'
] as const;
export type Step = (typeof STEPS)[number];

/** The record form's step bar: one button a step. */
export class Stepper {
	constructor(private readonly page: Page) {}

	step(step: Step): Locator {
		return this.page.getByTestId(`step-${step}`);
	}

	async go(step: Step): Promise<void> {
		await this.step(step).click();
	}
}
