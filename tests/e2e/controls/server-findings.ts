import type { Locator } from '@playwright/test';

/** The server's QC findings on a record (ServerFindings): a heading, one item a finding. */
export class ServerFindings {
	readonly heading: Locator;
	readonly findings: Locator;

	constructor(readonly root: Locator) {
		this.heading = root.getByRole('heading');
		this.findings = root.getByTestId('server-finding');
	}

	/** The findings of one rule. */
	finding(rule: string): Locator {
		return this.root.locator(`[data-testid="server-finding"][data-rule="${rule}"]`);
	}
}
