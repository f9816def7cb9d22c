import { m } from '$lib/paraglide/messages.js';
import type { RecordStatus } from '$lib/domain/codelists/index.js';
import { serverStatusText } from './labels.js';

/** A row of the review queue, as its page's load gives it. */
export type QueueRowData = {
	id: string;
	name: string | null;
	kind: string;
	siteCode: string | null;
	countyCode: string;
	category: string | null;
	surveyor: string | null;
	/** the surveyor's team now */
	team: string | null;
	surveyors: string[];
	surveyedOn: string | null;
	receivedAt: string;
	status: RecordStatus;
	revision: number;
	/** the current user may approve it in bulk: its role's status and no QC error */
	approvable: boolean;
	errors: number;
	warnings: number;
	nearSite: boolean;
	isNew: boolean;
};

/** Why a queue row cannot be approved in bulk, or '' when it can. */
export function blockedReason(row: Pick<QueueRowData, 'approvable' | 'errors' | 'status'>): string {
	if (row.approvable) return '';
	if (row.errors > 0) return m.review_bulk_blocked_errors({ count: row.errors });
	return m.review_bulk_blocked_status({ status: serverStatusText(row.status) });
}
