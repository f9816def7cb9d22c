import { describe, expect, it } from 'vitest';
import {
	backupFileName,
	backupReminderDue,
	isPushable,
	isUnsent,
	type RowState
} from '$lib/backup/format.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2025-06-10T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

describe('what a backup holds and what an import pushes', () => {
	const rows: [string, RowState, boolean, boolean][] = [
		['draft, never sent', { localState: 'draft' }, true, false],
		['finalized, queued', { localState: 'finalized', outbox: 'queued' }, true, true],
		[
			'conflict',
			{ localState: 'finalized', outbox: 'conflict', serverStatus: 'submitted' },
			true,
			true
		],
		['returned, being fixed', { localState: 'draft', serverStatus: 'returned' }, true, false],
		[
			'returned, fixed and queued',
			{ localState: 'finalized', outbox: 'queued', serverStatus: 'returned' },
			true,
			true
		],
		['acknowledged', { localState: 'finalized', serverStatus: 'submitted' }, false, true],
		['accepted by the city', { localState: 'finalized', serverStatus: 'accepted' }, false, true]
	];
	it.each(rows)('%s', (_, row, unsent, pushable) => {
		expect(isUnsent(row)).toBe(unsent);
		expect(isPushable(row)).toBe(pushable);
	});
});

describe('backupReminderDue', () => {
	const draft = (createdDays: number, updatedDays: number) => ({
		localState: 'draft' as const,
		createdAt: ago(createdDays),
		updatedAt: ago(updatedDays)
	});

	it('reminds when unsent data is older than the set days and was never backed up', () => {
		expect(backupReminderDue([draft(4, 0.1)], null, 3, NOW)).toEqual({
			due: true,
			oldest: ago(4),
			unsent: 1
		});
		expect(backupReminderDue([draft(2, 0.1)], null, 3, NOW).due).toBe(false);
		expect(backupReminderDue([draft(4, 0.1)], null, 5, NOW).due).toBe(false);
	});

	it('counts a sent record from its last change, not from its creation', () => {
		const returned = {
			localState: 'draft' as const,
			serverStatus: 'returned',
			createdAt: ago(30),
			updatedAt: ago(1)
		};
		expect(backupReminderDue([returned], null, 3, NOW).due).toBe(false);
		expect(backupReminderDue([{ ...returned, updatedAt: ago(4) }], null, 3, NOW).due).toBe(true);
	});

	it('is quiet once a backup holds the data, and again for what changed only recently after it', () => {
		expect(backupReminderDue([draft(10, 5)], ago(1), 3, NOW).due).toBe(false);
		// changed after the backup: the part not in it dates from the backup (1 day): not yet
		expect(backupReminderDue([draft(10, 0.5)], ago(1), 3, NOW).due).toBe(false);
		// a backup 5 days ago, changed since: that change waits since at least 5 days ago
		expect(backupReminderDue([draft(10, 0.5)], ago(5), 3, NOW).due).toBe(true);
	});

	it('ignores what the server has', () => {
		const acked = {
			localState: 'finalized' as const,
			serverStatus: 'submitted',
			createdAt: ago(30),
			updatedAt: ago(30)
		};
		expect(backupReminderDue([acked], null, 3, NOW)).toEqual({
			due: false,
			oldest: null,
			unsent: 0
		});
	});
});

describe('backupFileName', () => {
	it('names the county, the device and the time in China Standard Time', () => {
		expect(
			backupFileName(
				'伊金霍洛旗',
				'3b241101-e2bb-4255-8caf-4136c566a962',
				new Date('2025-06-02T18:05:00Z')
			)
		).toBe('四普备份-伊金霍洛旗-3b241101-20250603-0205.zip');
		expect(backupFileName(null, '', new Date('2025-06-02T00:00:00Z'))).toBe(
			'四普备份-未选旗区-device-20250602-0800.zip'
		);
	});
});
