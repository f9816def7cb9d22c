import type { RecordStatus } from '../../domain/codelists/index.js';
import type { QcFinding } from '../../domain/qc/finding.js';
import type { RegisteredSite } from '../../domain/schemas/site.js';
import type { SurveyRecord } from '../../domain/schemas/survey-record.js';
import type { ReviewComment } from '../../domain/sync/wire.js';
import type { RevisionEntry } from '../db/records.js';
import type { DataStore } from '../db/store.js';
import { inScope, type Principal } from '../auth/roles.js';

/**
 * One record as `GET /api/records/{id}` answers it (contract §3), and as the review record page
 * reads it. The fields of version 1 (`record`, `status`, `revision`, `findings`, `history`) and
 * what issue 12 added:
 * - `comments`: the comments of the decision that returned it, while it is `returned` (else []);
 * - `previous`: the content of the revision that set the content before the current one (the
 *   push or correction before the newest), null when only one ever did;
 * - `site`: for a 复查, the registry entry it re-checks (null for a 新发现, or a site no longer
 *   in the registry);
 * - each `history` entry: `status` (after it), `comments` (a decision's; [] otherwise),
 *   `reason` (a correction's) and `changed` (the fields a push or correction changed).
 */
export type RecordForReview = {
	record: SurveyRecord;
	status: RecordStatus;
	revision: number;
	/** The QC findings of the current content (its push or correction). */
	findings: QcFinding[];
	history: RevisionEntry[];
	comments: ReviewComment[];
	previous: SurveyRecord | null;
	site: RegisteredSite | null;
};

/**
 * Reads record `id` for `user` in one snapshot (the row, its findings and its history are of the
 * same revision): undefined when it does not exist or its county is outside the user's, which
 * both answer 404. Any role may read (a surveyor reads the records of its counties, contract §1);
 * a page that is for reviewers only checks the role itself.
 */
export async function readRecordForReview(
	store: DataStore,
	user: Pick<Principal, 'counties'>,
	id: string
): Promise<RecordForReview | undefined> {
	return store.read(async ({ records, registry }) => {
		const row = await records.get(id);
		if (!row || !inScope(user, row.countyCode)) return undefined;
		const siteCode = row.record.kind === '复查' ? row.record.siteCode : undefined;
		// the findings, history, comments and previous content come from one read of the revisions
		const { findings, history, comments, previous } = await records.reviewRevisions(row.id);
		return {
			record: row.record,
			status: row.status,
			revision: row.revision,
			findings,
			history,
			comments,
			previous,
			site: (siteCode ? await registry.get(siteCode) : undefined) ?? null
		};
	});
}
