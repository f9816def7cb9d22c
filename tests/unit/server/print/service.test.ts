/**
 * The batch print's request rules (issue 14 point 1) without a browser: the order of the forms,
 * the default statuses, and the refusals a reviewer reads (role, scope, body, busy, none, too many).
 */
import { describe, expect, it } from 'vitest';
import { printItems, startPrintJob } from '$lib/server/print/service.js';
import type { PrintJobs } from '$lib/server/print/jobs.js';
import type { DataStore } from '$lib/server/db/store.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { PRINT_MAX_FORMS } from '$lib/domain/sync/wire.js';

const reviewer: Principal = {
	id: 7,
	username: 'reviewer-150623',
	role: 'county_reviewer',
	counties: ['150623'],
	demo: false,
	tokenId: 1
};

function deps(
	count: number,
	jobs: { active?: boolean; unavailable?: string } = {}
): {
	deps: { store: DataStore; printJobs: PrintJobs };
	asked: { statuses?: readonly string[]; queued?: unknown };
} {
	const asked: { statuses?: readonly string[]; queued?: unknown } = {};
	const store = {
		records: {
			printable: async (_county: string, statuses: readonly string[]) => {
				asked.statuses = statuses;
				return Array.from({ length: count }, (_, i) => ({
					id: `r${i}`,
					kind: '复查',
					siteCode: `150623-${String(count - i).padStart(4, '0')}`,
					name: `遗址${i}`
				}));
			}
		}
	} as unknown as DataStore;
	const printJobs = {
		unavailable: async () => jobs.unavailable,
		activeOf: () =>
			jobs.active
				? { id: 'busy', state: 'running', county: '150623', done: 3, total: 9 }
				: undefined,
		full: false,
		enqueue: (input: { items: unknown[]; statuses: string[]; county: string }) => {
			asked.queued = input;
			return {
				id: 'job-1',
				state: 'queued',
				county: input.county,
				statuses: input.statuses,
				done: 0,
				total: input.items.length,
				createdAt: new Date().toISOString(),
				title: 't',
				ahead: 0
			};
		}
	} as unknown as PrintJobs;
	return { deps: { store, printJobs }, asked };
}

describe('printItems', () => {
	it('orders by site code, new finds (no code) last by name, then by id', () => {
		const items = printItems([
			{ id: 'b', siteCode: null, name: '墓B' },
			{ id: 'x', siteCode: '150623-0010', name: '十号' },
			{ id: 'a', siteCode: null, name: '墓B' },
			{ id: 'y', siteCode: '150623-0002', name: null },
			{ id: 'c', siteCode: null, name: '墓A' }
		]);
		expect(items.map((i) => i.id)).toEqual(['y', 'x', 'c', 'a', 'b']);
		expect(items[0]).toEqual({ id: 'y', title: '150623-0002 （未命名）', label: '150623-0002' });
		expect(items[2]).toEqual({ id: 'c', title: '新发现 墓A', label: '新发现 墓A' });
	});
});

describe('startPrintJob', () => {
	it('queues the county’s accepted and published records by default, in code order', async () => {
		const { deps: d, asked } = deps(3);
		const outcome = await startPrintJob(d, reviewer, 'token', { county: '150623' });
		expect(outcome).toMatchObject({ ok: true, value: { id: 'job-1', total: 3 } });
		expect(asked.statuses).toEqual(['accepted', 'published']);
		const queued = asked.queued as { items: { id: string }[]; statuses: string[] };
		expect(queued.items.map((i) => i.id)).toEqual(['r2', 'r1', 'r0']);
		expect(queued.statuses).toEqual(['accepted', 'published']);
	});

	it('takes the statuses asked for, once each, in workflow order', async () => {
		const { deps: d, asked } = deps(1);
		await startPrintJob(d, reviewer, 'token', {
			county: '150623',
			statuses: ['accepted', 'submitted', 'accepted']
		});
		expect(asked.statuses).toEqual(['submitted', 'accepted']);
	});

	it('refuses with the reason a reviewer can act on', async () => {
		const surveyor = { ...reviewer, role: 'surveyor' as const };
		const cases: [Parameters<typeof startPrintJob>, number, RegExp][] = [
			[[deps(1).deps, surveyor, 't', { county: '150623' }], 403, /调查员/],
			[[deps(1).deps, reviewer, 't', { county: '150622' }], 403, /无权/],
			[[deps(1).deps, reviewer, 't', { county: 'x' }], 400, /county/],
			[
				[deps(1, { unavailable: '没有 Chromium' }).deps, reviewer, 't', { county: '150623' }],
				503,
				/Chromium/
			],
			[[deps(1, { active: true }).deps, reviewer, 't', { county: '150623' }], 409, /3 \/ 9/],
			[[deps(0).deps, reviewer, 't', { county: '150623' }], 422, /没有/],
			[
				[deps(PRINT_MAX_FORMS + 1).deps, reviewer, 't', { county: '150623' }],
				413,
				new RegExp(`${PRINT_MAX_FORMS + 1} 条.*最多打印 ${PRINT_MAX_FORMS} 份`)
			]
		];
		for (const [args, status, message] of cases) {
			const outcome = await startPrintJob(...args);
			expect(outcome.ok).toBe(false);
			if (outcome.ok) continue;
			expect(outcome.status).toBe(status);
			expect(outcome.error).toMatch(message);
		}
		expect(
			await startPrintJob(deps(PRINT_MAX_FORMS).deps, reviewer, 't', { county: '150623' })
		).toMatchObject({ ok: true });
	});
});
