/** Helpers of the review-area specs: a record queued on a tablet. */
import type { Page } from '@playwright/test';
import { queueRechecks } from './fixtures.js';

export { DEMO_PASSWORD } from './accounts.js';

/**
 * Puts a finalized re-check of the county's `siteIndex`-th registered site, with one photo, on
 * the device as the form leaves it (queued for upload), straight into IndexedDB. Returns its id.
 */
export async function queueRecord(page: Page, county: string, siteIndex: number): Promise<string> {
	const { ids } = await queueRechecks(page, county, {
		first: siteIndex,
		count: 1,
		photosPerRecord: 1
	});
	return ids[0]!;
}
