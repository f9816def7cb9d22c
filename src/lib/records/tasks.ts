import type { StoredRecord } from '$lib/db/index.js';
import { commentCounts } from './answers.js';
import { firstCommentedPath } from './comments.js';

/** What home shows of a returned record (退回待改): who returned it, when, and what to fix. */
export type ReturnTask = {
	/** The reviewer of the return, and when (the latest comment's). */
	by: string;
	at: string;
	must: number;
	suggest: number;
	/** The field the record opens at (the first commented one in form order); null: none. */
	focus: string | null;
};

/** The task of a returned record, from the comments of the return it holds. */
export function returnTask(row: Pick<StoredRecord, 'serverComments'>): ReturnTask {
	const comments = row.serverComments ?? [];
	const latest = comments.reduce<(typeof comments)[number] | undefined>(
		(a, c) => (!a || c.at > a.at ? c : a),
		undefined
	);
	return {
		by: latest?.by ?? '',
		at: latest?.at ?? '',
		...commentCounts(comments),
		focus: firstCommentedPath(comments)
	};
}
