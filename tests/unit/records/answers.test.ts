import { describe, expect, it } from 'vitest';
import type { ReviewComment, StoredRecord } from '$lib/db/index.js';
import { parseWith } from '$lib/domain/schemas/common.js';
import { SurveyRecordSchema } from '$lib/domain/schemas/survey-record.js';
import { answered, commentCounts, currentAnswers, unansweredMust } from '$lib/records/answers.js';
import { firstCommentedPath } from '$lib/records/comments.js';
import { summarizeRecord } from '$lib/records/status.js';
import { perfectRecheck, storedRowOf } from '../../fixtures/builders.js';

const at = '2025-06-03T09:00:00.000Z';
const comment = (c: Partial<ReviewComment>): ReviewComment => ({
	message: '请修改',
	by: 'reviewer-150627',
	at,
	...c
});

describe('answers', () => {
	const v1 = { ...perfectRecheck(), schemaVersion: 1 as const };

	it('answering makes a v1 record schemaVersion 2, and what is stored passes the schema', () => {
		const one = answered(v1, '3.1', '已修改');
		expect(one.schemaVersion).toBe(2);
		expect(one.answers).toEqual([{ commentId: '3.1', reply: '已修改' }]);
		const two = answered(one, '3.2', '说明', '现场核实无误');
		expect(two.answers).toEqual([
			{ commentId: '3.1', reply: '已修改' },
			{ commentId: '3.2', reply: '说明', text: '现场核实无误' }
		]);
		expect(parseWith(SurveyRecordSchema, two).ok).toBe(true);
		// answering again replaces; one answer per comment
		expect(answered(two, '3.1', '说明', '改为说明').answers).toHaveLength(2);
	});

	it('a 说明 without text is no answer, and removes an earlier one', () => {
		const fixed = answered(v1, '3.1', '已修改');
		const blank = answered(fixed, '3.1', '说明', '  ');
		expect(blank.answers).toEqual([]);
		expect(parseWith(SurveyRecordSchema, blank).ok).toBe(true);
		expect(answered(v1, '3.1', '说明', '').schemaVersion).toBe(1);
	});

	it('only answers to the comments present are current', () => {
		const comments = [comment({ id: '4.1' }), comment({ message: '没有编号的旧意见' })];
		expect(
			currentAnswers(
				[
					{ commentId: '2.1', reply: '已修改' },
					{ commentId: '4.1', reply: '已修改' }
				],
				comments
			)
		).toEqual([{ commentId: '4.1', reply: '已修改' }]);
	});

	it('counts severities (none given counts as 必须修改) and lists unanswered must-fix comments', () => {
		const comments = [
			comment({ id: '3.1', severity: '必须修改' }),
			comment({ id: '3.2', severity: '建议' }),
			comment({ id: '3.3' })
		];
		expect(commentCounts(comments)).toEqual({ must: 2, suggest: 1 });
		expect(
			unansweredMust(comments, [{ commentId: '3.1', reply: '已修改' }]).map((c) => c.id)
		).toEqual(['3.3']);
	});
});

describe('a returned record on home', () => {
	it('opens at the first commented field in the order of the form', () => {
		expect(
			firstCommentedPath([
				comment({ path: 'photos.1.direction' }),
				comment({}),
				comment({ path: 'description' }),
				comment({ path: 'name' })
			])
		).toBe('name');
		expect(firstCommentedPath([comment({})])).toBeNull();
	});

	it('is a task with who returned it, when, and how many comments of each weight', () => {
		const row: StoredRecord = {
			...storedRowOf(perfectRecheck()),
			localState: 'draft',
			outbox: undefined,
			serverStatus: 'returned',
			serverRevision: 3,
			serverComments: [
				comment({ id: '3.1', path: 'description', severity: '必须修改' }),
				comment({ id: '3.2', severity: '建议' })
			]
		};
		delete row.outbox;
		expect(summarizeRecord(row)).toMatchObject({
			status: '已退回',
			task: { by: 'reviewer-150627', at, must: 1, suggest: 1, focus: 'description' }
		});
		expect(
			summarizeRecord({ ...row, serverStatus: 'submitted', localState: 'finalized' }).task
		).toBeUndefined();
	});
});
