/**
 * The quarterly progress report (issue 14 point 3): `GET /api/review/reports/quarterly`, its XLSX
 * (`…/quarterly.xlsx`) and the page /review/stats/quarterly, for records pushed and decided through
 * the real server across three quarters and two counties, against every figure computed again
 * straight from the server's database with plain SQL (SQLite read-only, or PostgreSQL with
 * TEST_PG_URL): the quarter of a time is taken there by the database's own date functions in
 * China Standard Time, not by the server's text bounds. And who may see which counties.
 *
 * The server takes its times from the clock, so records and decisions of earlier quarters are made
 * through the server now and then moved back: their push (the record's `created_at` and revision
 * 1's `at`) and decision revisions get times of an earlier quarter, written beside the server.
 */
import BetterSqlite3 from 'better-sqlite3';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyName } from '$lib/domain/codelists/index.js';
import {
	percentText,
	QUARTERLY_COLUMNS,
	QUARTERLY_FIGURES,
	REPORT_CATEGORIES,
	type QuarterlyColumn,
	type QuarterlyFigure,
	type QuarterlyReport
} from '$lib/domain/quarterly.js';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { COUNTY_CODES, newFind, recheckOf, TestServer, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
let city: string;
let reviewer02: string;
let reviewer03: string;
let surveyor02: string;

type Count = (text: string, params?: readonly unknown[]) => Promise<number>;
let count: Count;
let closeDb: () => Promise<void>;
let postgres = false;

/** A quarter as the test names it: year, number, and its first instant (China time). */
type Q = { year: number; q: number; key: string; start: Date };
const quarterAt = (year: number, q: number): Q => {
	const y = year + Math.floor((q - 1) / 4);
	const n = ((((q - 1) % 4) + 4) % 4) + 1;
	const month = String((n - 1) * 3 + 1).padStart(2, '0');
	return { year: y, q: n, key: `${y}Q${n}`, start: new Date(`${y}-${month}-01T00:00:00+08:00`) };
};
const chinaNow = new Date(Date.now() + 8 * 3_600_000);
const current = quarterAt(chinaNow.getUTCFullYear(), Math.floor(chinaNow.getUTCMonth() / 3) + 1);
const previous = quarterAt(current.year, current.q - 1);
const earlier = quarterAt(current.year, current.q - 2);
const next = quarterAt(current.year, current.q + 1);
const CN = ['', '一', '二', '三', '四'];
const chineseName = (q: Q) => `${q.year}年第${CN[q.q]}季度`;
const later = (d: Date, hours: number) => new Date(d.getTime() + hours * 3_600_000).toISOString();

/** Moves a record's first push to `at` (its creation and revision 1). */
async function movePush(id: string, at: string): Promise<void> {
	const store = await server.openStore();
	try {
		await store.write(async (tx) => {
			await tx.db.updateTable('records').set({ created_at: at }).where('id', '=', id).execute();
			await tx.db
				.updateTable('revisions')
				.set({ at })
				.where('record_id', '=', id)
				.where('revision', '=', 1)
				.execute();
		});
	} finally {
		await store.close();
	}
}

/** Moves revision `revision` of a record (a decision) to `at`. */
async function moveRevision(id: string, revision: number, at: string): Promise<void> {
	const store = await server.openStore();
	try {
		await store.write((tx) =>
			tx.db
				.updateTable('revisions')
				.set({ at })
				.where('record_id', '=', id)
				.where('revision', '=', revision)
				.execute()
		);
	} finally {
		await store.close();
	}
}

async function decide(
	token: string,
	record: SurveyRecord,
	decision: 'approve' | 'return',
	revision: number
): Promise<void> {
	const answer = await server.post(
		`/api/records/${record.id}/decision`,
		{ decision, revision, comments: [{ message: '请核对位置与照片' }] },
		token
	);
	expect(answer.status, answer.text).toBe(200);
}

async function pushAccepted(token: string, record: unknown): Promise<void> {
	const result = await server.pushOne(token, record);
	expect(result.status, JSON.stringify(result)).toBe('accepted');
}

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	reviewer02 = await server.as('reviewer-150602');
	reviewer03 = await server.as('reviewer-150603');
	surveyor02 = await server.as('surveyor-150602');
	const surveyor03 = await server.as('surveyor-150603');
	const sites02 = await server.sites('150602');
	const sites03 = await server.sites('150603');
	const site = (sites: RegisteredSite[], i: number) => sites[i]!;

	// two teams in 150602, one with the surveyor; none in 150603
	for (const [name, members] of [
		['季报一队', ['surveyor-150602']],
		['季报二队', []]
	] as const) {
		const made = await server.post(
			'/api/teams',
			{ countyCode: '150602', name, members: [...members] },
			reviewer02
		);
		expect(made.status, made.text).toBe(201);
	}

	const inEarlier = later(earlier.start, 24 * 5);
	const inPrevious = later(previous.start, 24 * 3);
	const lastOfPrevious = new Date(current.start.getTime() - 1).toISOString();
	const firstOfCurrent = current.start.toISOString();

	// 150602 ---------------------------------------------------------------------------------
	// A: site 0 re-checked two quarters back, approved by both then; B: site 0 again now
	const a = recheckOf(site(sites02, 0), await server.uploadPhotos(surveyor02, 2));
	await pushAccepted(surveyor02, a);
	await decide(reviewer02, a, 'approve', 1);
	await decide(city, a, 'approve', 2);
	await movePush(a.id, inEarlier);
	await moveRevision(a.id, 2, later(earlier.start, 24 * 5 + 1));
	await moveRevision(a.id, 3, later(earlier.start, 24 * 5 + 2));
	await pushAccepted(surveyor02, recheckOf(site(sites02, 0), []));
	// C: site 1 lost, pushed in the last millisecond of the previous quarter
	const c = recheckOf(site(sites02, 1), [], {
		changeType: '消失',
		lostReason: '2020 年修建公路时被推平，现场已无遗存'
	});
	await pushAccepted(surveyor02, c);
	await movePush(c.id, lastOfPrevious);
	// D: site 2 pushed at the first instant of this quarter, approved by the county now
	const d = recheckOf(site(sites02, 2), await server.uploadPhotos(surveyor02, 2));
	await pushAccepted(surveyor02, d);
	await movePush(d.id, firstOfCurrent);
	await decide(reviewer02, d, 'approve', 1);
	// E: a new find of the previous quarter, approved by the county then, by the city now
	const e = newFind(
		'150602',
		offset(site(sites02, 5).location, 2500, 2500),
		await server.uploadPhotos(surveyor02, 2)
	);
	await pushAccepted(surveyor02, e);
	await decide(reviewer02, e, 'approve', 1);
	await movePush(e.id, inPrevious);
	await moveRevision(e.id, 2, later(previous.start, 24 * 3 + 1));
	await decide(city, e, 'approve', 2);
	// F: a new find now, returned twice now (once in the figures)
	const f = newFind(
		'150602',
		offset(site(sites02, 6).location, -2500, 2500),
		await server.uploadPhotos(surveyor02, 2),
		{ category: '古文化遗址', subcategory: '聚落址' }
	);
	await pushAccepted(surveyor02, f);
	await decide(reviewer02, f, 'return', 1);
	await pushAccepted(surveyor02, { ...f, baseRevision: 2, address: `${f.address}（改）` });
	await decide(reviewer02, f, 'return', 3);
	// G: site 3 lost now; H: site 4 lost in the previous quarter and again now
	await pushAccepted(
		surveyor02,
		recheckOf(site(sites02, 3), [], { changeType: '消失', lostReason: '被洪水冲毁，现场已无遗存' })
	);
	const h = recheckOf(site(sites02, 4), [], {
		changeType: '消失',
		lostReason: '取土破坏，现场已无遗存'
	});
	await pushAccepted(surveyor02, h);
	await movePush(h.id, inPrevious);
	await pushAccepted(
		surveyor02,
		recheckOf(site(sites02, 4), [], { changeType: '消失', lostReason: '复核：现场已无遗存' })
	);
	// a new find with no category, now
	await pushAccepted(
		surveyor02,
		newFind('150602', offset(site(sites02, 7).location, 2500, -2500), [], {
			category: '',
			subcategory: ''
		})
	);

	// 150603 ---------------------------------------------------------------------------------
	// a re-check of the previous quarter returned then; a new find now
	const j = recheckOf(site(sites03, 0), await server.uploadPhotos(surveyor03, 2));
	await pushAccepted(surveyor03, j);
	await decide(reviewer03, j, 'return', 1);
	await movePush(j.id, inPrevious);
	await moveRevision(j.id, 2, later(previous.start, 24 * 3 + 5));
	await pushAccepted(
		surveyor03,
		newFind('150603', offset(site(sites03, 3).location, 2500, 2500), [], {
			category: '古文化遗址',
			subcategory: '城址'
		})
	);

	// the database, beside the server: read-only on SQLite, a client of its own on PostgreSQL
	const url = server.databaseEnv.DATABASE_URL;
	if (url) {
		postgres = true;
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		const dollar = (text: string) => {
			let i = 0;
			return text.replace(/\?/g, () => `$${++i}`);
		};
		count = async (text, params = []) =>
			Number(Object.values((await client.query(dollar(text), [...params])).rows[0] as object)[0]);
		closeDb = () => client.end();
	} else {
		const db = new BetterSqlite3(join(server.dataDir, 'survey.sqlite'), {
			readonly: true,
			fileMustExist: true
		});
		count = (text, params = []) =>
			Promise.resolve(Number(Object.values(db.prepare(text).get(...params) as object)[0]));
		closeDb = async () => {
			db.close();
		};
	}
}, 120_000);
afterAll(async () => {
	await closeDb?.();
	await server?.stop();
});

/**
 * The quarter of a time column as year × 10 + quarter, in China Standard Time, by the database's
 * own date functions.
 */
const quarterOfColumn = (column: string) =>
	postgres
		? `(extract(year from ((${column})::timestamptz AT TIME ZONE 'Asia/Shanghai')) * 10 + extract(quarter from ((${column})::timestamptz AT TIME ZONE 'Asia/Shanghai')))`
		: `(CAST(strftime('%Y', ${column}, '+8 hours') AS integer) * 10 + (CAST(strftime('%m', ${column}, '+8 hours') AS integer) + 2) / 3)`;
/** The record's changeType out of its content. */
const changeType = () =>
	postgres ? `(r.content::json ->> 'changeType')` : `json_extract(r.content, '$.changeType')`;

/** Every figure of `counties` for quarter `q` computed with SQL: `figure:county|total` → n. */
async function expected(counties: readonly string[], q: Q): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	const code = q.year * 10 + q.q;
	const list = (scope: readonly string[]) => scope.map(() => '?').join(', ');
	const scopes: [string, readonly string[]][] = [
		...counties.map((c): [string, readonly string[]] => [c, [c]]),
		['total', counties]
	];
	for (const [key, scope] of scopes) {
		const put = (figure: QuarterlyFigure, n: number) => out.set(`${figure}:${key}`, n);
		const inScope = (alias: string) => `${alias}.county_code IN (${list(scope)})`;
		const inQuarter = (column: string) => `${quarterOfColumn(column)} = ${code}`;
		const toDate = (column: string) => `${quarterOfColumn(column)} <= ${code}`;
		put('sites', await count(`SELECT count(*) FROM sites s WHERE ${inScope('s')}`, scope));
		put('teams', await count(`SELECT count(*) FROM teams t WHERE ${inScope('t')}`, scope));
		put(
			'members',
			await count(
				`SELECT count(*) FROM team_members m WHERE EXISTS (SELECT 1 FROM teams t WHERE t.id = m.team_id AND ${inScope('t')})`,
				scope
			)
		);
		// a site counts in the quarter its first 复查 (with 消失) arrived in
		for (const [quarterFigure, toDateFigure, extra] of [
			['rechecked', 'recheckedToDate', ''],
			['lost', 'lostToDate', ` AND ${changeType()} = '消失'`]
		] as const) {
			const recheck = `r.kind = '复查' AND r.site_code = s.code AND ${inScope('r')}${extra}`;
			put(
				toDateFigure,
				await count(
					`SELECT count(*) FROM sites s WHERE ${inScope('s')} AND EXISTS (SELECT 1 FROM records r WHERE ${recheck} AND ${toDate('r.created_at')})`,
					[...scope, ...scope]
				)
			);
			put(
				quarterFigure,
				await count(
					`SELECT count(*) FROM sites s WHERE ${inScope('s')}
					 AND EXISTS (SELECT 1 FROM records r WHERE ${recheck} AND ${inQuarter('r.created_at')})
					 AND NOT EXISTS (SELECT 1 FROM records r WHERE ${recheck} AND ${quarterOfColumn('r.created_at')} < ${code})`,
					[...scope, ...scope, ...scope]
				)
			);
		}
		const records = (where: string) =>
			count(`SELECT count(*) FROM records r WHERE ${inScope('r')} AND ${where}`, scope);
		put('received', await records(inQuarter('r.created_at')));
		// the category table's sums: every record of the quarter has one category row
		out.set(`categorySum:${key}`, out.get(`received:${key}`)!);
		put('newFinds', await records(`r.kind = '新发现' AND ${inQuarter('r.created_at')}`));
		put('newFindsToDate', await records(`r.kind = '新发现' AND ${toDate('r.created_at')}`));
		const decided = (where: string) =>
			count(
				`SELECT count(DISTINCT v.record_id) FROM revisions v JOIN records r ON r.id = v.record_id
				 WHERE ${inScope('r')} AND ${where}`,
				scope
			);
		const approvedTo = (status: string) => `v.action = 'approve' AND v.status = '${status}'`;
		put(
			'countyApproved',
			await decided(`${approvedTo('county_approved')} AND ${inQuarter('v.at')}`)
		);
		put('cityApproved', await decided(`${approvedTo('accepted')} AND ${inQuarter('v.at')}`));
		put('cityApprovedToDate', await decided(`${approvedTo('accepted')} AND ${toDate('v.at')}`));
		put('returned', await decided(`v.action = 'return' AND ${inQuarter('v.at')}`));
		// the records of the quarter by category
		for (const term of REPORT_CATEGORIES)
			out.set(
				`category:${term}:${key}`,
				await records(
					`${inQuarter('r.created_at')} AND ${term ? `r.category = '${term}'` : `coalesce(r.category, '') = ''`}`
				)
			);
	}
	return out;
}

/** The JSON's figures, keyed as `expected` keys them. */
function figuresOf(report: QuarterlyReport): Map<string, number> {
	const out = new Map<string, number>();
	for (const row of [...report.rows, report.total])
		for (const f of QUARTERLY_FIGURES) out.set(`${f}:${row.county || 'total'}`, row[f]);
	for (const row of report.categories) {
		for (const c of report.counties) out.set(`category:${row.term}:${c}`, row.byCounty[c]!);
		out.set(`category:${row.term}:total`, row.total);
	}
	for (const c of [...report.counties, 'total'])
		out.set(
			`categorySum:${c}`,
			report.categories.reduce((a, row) => a + (c === 'total' ? row.total : row.byCounty[c]!), 0)
		);
	return out;
}

/** The rate of a row as the page prints it, from the figures. */
const rateOf = (figures: Map<string, number>, key: string) => {
	const sites = figures.get(`sites:${key}`)!;
	return percentText(sites > 0 ? figures.get(`recheckedToDate:${key}`)! / sites : null);
};

/** The page's cells: each `<td data-stat>`, and its text. */
function pageCells(html: string): Map<string, string> {
	const out = new Map<string, string>();
	const re = /<td\b[^>]*?\bdata-stat="([^"]+)"[^>]*>((?:<!--[^>]*-->|[^<])*)<\/td>/g;
	for (const [, key, text] of html.matchAll(re)) {
		expect(out.has(key!), `cell ${key} twice`).toBe(false);
		out.set(key!, text!.replace(/<!--[^>]*-->/g, '').trim());
	}
	return out;
}

const sorted = <V>(map: Map<string, V>) => Object.fromEntries([...map].sort());

async function reportOf(search: string, token: string): Promise<QuarterlyReport> {
	const response = await server.get(`/api/review/reports/quarterly${search}`, token);
	expect(response.status, response.text).toBe(200);
	return response.json as QuarterlyReport;
}

async function xlsxOf(
	search: string,
	token: string
): Promise<{ response: Response; workbook: ExcelJS.Workbook }> {
	const response = await fetch(`${server.url}/api/review/reports/quarterly.xlsx${search}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status).toBe(200);
	const bytes = await response.arrayBuffer();
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes);
	return { response, workbook };
}

/**
 * A cell's number: a plain value, or a formula's cached result (read through `result`: exceljs's
 * `value` of a formula cell leaves a result of 0 out).
 */
function cellNumber(cell: ExcelJS.Cell): number | string | null {
	if (cell.type === ExcelJS.ValueType.Formula) return cell.result as number | string;
	const v = cell.value;
	return typeof v === 'number' || typeof v === 'string' ? v : null;
}

const SCENES = [
	['the city reviewer, all counties', '', [...COUNTY_CODES]],
	['the city reviewer, one county', '&county=150603', ['150603']],
	['a county reviewer, its county', '', ['150602']]
] as const;

describe('every figure equals the database, in the JSON, the page and the XLSX', () => {
	for (const q of [current, previous, earlier])
		for (const [who, extra, counties] of SCENES) {
			it(`${q.key}: ${who}`, async () => {
				const token = who.startsWith('a county') ? reviewer02 : city;
				const search = `?quarter=${q.key}${extra}`;
				const want = await expected(counties, q);
				const report = await reportOf(search, token);
				expect(report.quarter).toBe(q.key);
				expect(report.counties).toEqual(counties);
				expect(report.start).toBe(q.start.toISOString());
				expect(report.partial).toBe(q === current);
				expect(sorted(figuresOf(report))).toEqual(sorted(want));

				// the page: every figure's cell, and the rates
				const page = await server.get(`/review/stats/quarterly${search}`, token);
				expect(page.status, page.text.slice(0, 300)).toBe(200);
				const cells = pageCells(page.text);
				const fromPage = new Map<string, number>();
				for (const [k, text] of cells)
					if (!k.startsWith('recheckRate:')) fromPage.set(k, Number(text));
				// one county: the category table has the total column only
				const onPage = new Map(
					[...want].filter(
						([k]) => counties.length > 1 || !k.startsWith('category') || k.endsWith(':total')
					)
				);
				expect(sorted(fromPage)).toEqual(sorted(onPage));
				for (const k of [...counties, 'total'])
					expect(cells.get(`recheckRate:${k}`), k).toBe(rateOf(want, k));

				// the XLSX: sheets, headings, each county's row, the sums
				const { response, workbook } = await xlsxOf(search, token);
				expect(response.headers.get('content-type')).toBe(
					'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
				);
				const disposition = response.headers.get('content-disposition') ?? '';
				const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '');
				expect(name).toBe(
					`鄂尔多斯市四普工作进展情况表-${chineseName(q)}${counties.length === 1 ? `-${countyName(counties[0]!)}` : ''}.xlsx`
				);
				expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"/);
				expect(workbook.worksheets.map((s) => s.name)).toEqual(['进度汇总', '分类统计', '说明']);
				checkSummary(workbook.getWorksheet('进度汇总')!, q, counties, want);
				checkCategories(workbook.getWorksheet('分类统计')!, q, counties, want);
				const notes = workbook.getWorksheet('说明')!;
				const noteText = notes
					.getSheetValues()
					.flatMap((row) => (Array.isArray(row) ? row : []))
					.join('\n');
				for (const phrase of ['本季度 · 复查文物（处）', '复查完成率', '数据时间', '北京时间'])
					expect(noteText).toContain(phrase);
				// the snapshot's time: read for this download, after the JSON's
				const at = /（(\d{4}-\d\d-\d\dT[\d:.]+Z)）/.exec(noteText)?.[1] ?? '';
				expect(at >= report.generatedAt && at <= new Date().toISOString(), at).toBe(true);
			});
		}

	it('the figures say what was pushed and decided here', async () => {
		const now = await reportOf(`?quarter=${current.key}&county=150602`, reviewer02);
		const before = await reportOf(`?quarter=${previous.key}&county=150602`, reviewer02);
		const first = await reportOf(`?quarter=${earlier.key}&county=150602`, reviewer02);
		// site 0: first re-checked two quarters back (once, though re-checked again now)
		expect(first.total.rechecked).toBe(1);
		expect(first.total.cityApproved).toBe(1);
		expect(first.total.countyApproved).toBe(1);
		// the previous quarter: site 1 (its last millisecond) and site 4 lost; E approved by the county
		expect(before.total.rechecked).toBe(2);
		expect(before.total.lost).toBe(2);
		expect(before.total.newFinds).toBe(1);
		expect(before.total.countyApproved).toBe(1);
		expect(before.total.recheckedToDate).toBe(3);
		// now: site 2 (the quarter's first instant) and site 3 new; site 4 lost again counts no more
		expect(now.total.rechecked).toBe(2);
		expect(now.total.lost).toBe(1);
		expect(now.total.lostToDate).toBe(3);
		expect(now.total.recheckedToDate).toBe(5);
		expect(now.total.newFinds).toBe(2);
		expect(now.total.newFindsToDate).toBe(3);
		expect(now.total.returned).toBe(1);
		expect(now.total.countyApproved).toBe(1);
		expect(now.total.cityApproved).toBe(1);
		expect(now.total.cityApprovedToDate).toBe(2);
		expect(now.total.teams).toBe(2);
		expect(now.total.members).toBe(1);
		// the new finds' categories as pushed (the re-checks: their sites' category)
		const newFindsOf = (term: string) => now.categories.find((r) => r.term === term)!.total;
		expect(newFindsOf('')).toBe(1);
		expect(newFindsOf('古文化遗址')).toBeGreaterThanOrEqual(1);
		expect(now.categories.reduce((a, r) => a + r.total, 0)).toBe(now.total.received);
	});
});

/** The 进度汇总 sheet against the figures. */
function checkSummary(
	sheet: ExcelJS.Worksheet,
	q: Q,
	counties: readonly string[],
	want: Map<string, number>
) {
	expect(sheet.getCell('A1').value).toBe(
		`鄂尔多斯市第四次全国文物普查工作进展情况表（${chineseName(q)}）`
	);
	const line2 = [1, 6, 11].map((c) => String(sheet.getCell(2, c).value));
	expect(line2[0]).toMatch(/^填报单位（盖章）：/);
	expect(line2[2]).toMatch(/^填报日期：\d{4}年\d{1,2}月\d{1,2}日$/);
	// headings: the county and the registered sites span rows 3–4; the groups merge over theirs
	expect(sheet.getCell('A3').value).toBe('旗区');
	expect(sheet.getCell('A4').isMerged).toBe(true);
	// a heading's unit is on a line of its own
	const text = (cell: ExcelJS.Cell) => String(cell.value).replace(/\n/g, '');
	expect(sheet.getCell('B3').value).toBe('登记文物\n（处）');
	const groups = new Map<string, number>();
	for (let c = 2; c <= QUARTERLY_COLUMNS.length + 1; c++) {
		const top = sheet.getCell(3, c);
		const master = top.isMerged ? top.master : top;
		groups.set(text(master), (groups.get(text(master)) ?? 0) + 1);
	}
	expect(Object.fromEntries(groups)).toEqual({
		'登记文物（处）': 1,
		'普查力量（现有）': 2,
		本季度: 7,
		'累计（截至季度末）': 5
	});
	const headings = QUARTERLY_COLUMNS.map((_, i) => text(sheet.getCell(4, i + 2)));
	expect(headings.slice(3, 10)).toEqual([
		'复查文物（处）',
		'新发现（处）',
		'消失（处）',
		'收到记录（条）',
		'旗区审核通过（条）',
		'市级审核通过（条）',
		'退回（条）'
	]);
	expect(headings.slice(10)).toEqual([
		'复查文物（处）',
		'复查完成率',
		'新发现（处）',
		'消失（处）',
		'市级审核通过（条）'
	]);
	expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 4 });
	expect(sheet.pageSetup).toMatchObject({
		paperSize: 9,
		orientation: 'landscape',
		fitToPage: true,
		fitToWidth: 1
	});
	// one row per county, in order, then 合计
	const first = 5;
	counties.forEach((c, i) => {
		const row = first + i;
		expect(sheet.getCell(row, 1).value).toBe(countyName(c));
		QUARTERLY_COLUMNS.forEach((column: QuarterlyColumn, j) => {
			const cell = sheet.getCell(row, j + 2);
			if (column === 'recheckRate') {
				const sites = want.get(`sites:${c}`)!;
				expect(cell.value, `${c} rate`).toBe(
					sites > 0 ? want.get(`recheckedToDate:${c}`)! / sites : '—'
				);
				if (sites > 0) expect(cell.numFmt).toBe('0.0%');
			} else expect(cell.value, `${c} ${column}`).toBe(want.get(`${column}:${c}`));
		});
	});
	const total = first + counties.length;
	expect(sheet.getCell(total, 1).value).toBe('合计');
	QUARTERLY_COLUMNS.forEach((column, j) => {
		const cell = sheet.getCell(total, j + 2);
		const formula = cell.type === ExcelJS.ValueType.Formula ? cell.formula : '';
		const letter = cell.address.replace(/\d+$/, '');
		if (column === 'recheckRate') {
			expect(formula).toMatch(/^IF\(/);
			const sites = want.get('sites:total')!;
			expect(cellNumber(cell)).toBe(sites > 0 ? want.get('recheckedToDate:total')! / sites : '—');
			return;
		}
		expect(formula).toBe(`SUM(${letter}${first}:${letter}${total - 1})`);
		// the cached value: the sum of the rows above, and the database's figure
		let sum = 0;
		for (let r = first; r < total; r++) sum += Number(cellNumber(sheet.getCell(r, j + 2)));
		expect(cellNumber(cell), column).toBe(sum);
		expect(cellNumber(cell), column).toBe(want.get(`${column}:total`));
	});
	// signature lines under the table
	const below = [1, 6, 11].map((c) => String(sheet.getCell(total + 2, c).value));
	expect(below).toEqual(['填报人：', '审核人：', '联系电话：']);
}

/** The 分类统计 sheet against the figures. */
function checkCategories(
	sheet: ExcelJS.Worksheet,
	q: Q,
	counties: readonly string[],
	want: Map<string, number>
) {
	expect(String(sheet.getCell('A1').value)).toBe(`${chineseName(q)}收到记录分类统计（条）`);
	const width = counties.length + 2;
	expect(sheet.getCell(3, 1).value).toBe('类别');
	counties.forEach((c, i) => expect(sheet.getCell(3, i + 2).value).toBe(countyName(c)));
	expect(sheet.getCell(3, width).value).toBe('合计');
	REPORT_CATEGORIES.forEach((term, i) => {
		const r = 4 + i;
		expect(sheet.getCell(r, 1).value).toBe(term || '未填写');
		let sum = 0;
		counties.forEach((c, j) => {
			const n = Number(sheet.getCell(r, j + 2).value);
			sum += n;
			expect(n, `${term} ${c}`).toBe(want.get(`category:${term}:${c}`));
		});
		expect(cellNumber(sheet.getCell(r, width))).toBe(sum);
		expect(cellNumber(sheet.getCell(r, width))).toBe(want.get(`category:${term}:total`));
	});
	const total = 4 + REPORT_CATEGORIES.length;
	expect(sheet.getCell(total, 1).value).toBe('合计');
	const all = REPORT_CATEGORIES.reduce((a, t) => a + want.get(`category:${t}:total`)!, 0);
	expect(cellNumber(sheet.getCell(total, width))).toBe(all);
	expect(all).toBe(want.get('received:total'));
}

describe('scope: role × county, and bad requests', () => {
	function refused(response: ApiResponse, status: number) {
		expect(response.status, response.text.slice(0, 200)).toBe(status);
	}
	const paths = (search: string) => [
		`/api/review/reports/quarterly${search}`,
		`/api/review/reports/quarterly.xlsx${search}`,
		`/review/stats/quarterly${search}`
	];

	it('a surveyor is refused, in its own county too', async () => {
		for (const search of ['', '?county=150602', `?quarter=${current.key}`])
			for (const path of paths(search)) refused(await server.get(path, surveyor02), 403);
	});

	it('a county reviewer sees its county, and is refused another', async () => {
		expect((await reportOf('', reviewer03)).counties).toEqual(['150603']);
		for (const path of paths(`?quarter=${current.key}&county=150602`))
			refused(await server.get(path, reviewer03), 403);
		const page = await server.get('/review/stats/quarterly', reviewer03);
		expect(page.status).toBe(200);
		expect(page.text).not.toContain('data-stat="sites:150602"');
	});

	it('the city reviewer sees all nine, or the one it names; the current quarter by default', async () => {
		const all = await reportOf('', city);
		expect(all.counties).toEqual([...COUNTY_CODES]);
		expect(all.quarter).toBe(current.key);
		expect((await reportOf('?county=150627', city)).counties).toEqual(['150627']);
	});

	it('a malformed, future or pre-census quarter, a bad county or parameter is a 400; no login a 401', async () => {
		for (const quarter of ['2026Q5', '2026-Q4', '26Q4', 'Q4', next.key, '2023Q3', '2019Q1'])
			for (const path of paths(`?quarter=${encodeURIComponent(quarter)}`)) {
				const response = await server.get(path, city);
				refused(response, 400);
				if (path.startsWith('/api/'))
					expect((response.json as { error: string }).error).toMatch(/季度/);
			}
		const future = await server.get(`/api/review/reports/quarterly?quarter=${next.key}`, city);
		expect((future.json as { error: string }).error).toContain('尚未开始');
		for (const path of paths('?county=999999')) refused(await server.get(path, city), 400);
		for (const path of paths('?format=pdf')) refused(await server.get(path, city), 400);
		refused(await server.get(`/api/review/reports/quarterly?quarter=${current.key}`), 401);
		refused(await server.get(`/api/review/reports/quarterly.xlsx?quarter=${current.key}`), 401);
	});
});

describe('the statistics page links to the report', () => {
	it('with the county it shows', async () => {
		const page = await server.get('/review/stats?county=150602', reviewer02);
		expect(page.text).toMatch(
			/href="\/review\/stats\/quarterly\?county=150602"[^>]*data-testid="quarterly-link"/
		);
		const report = await server.get('/review/stats/quarterly', city);
		// the quarters offered: from the census's first (2023Q4) to now's, the current one chosen
		const options = [...report.text.matchAll(/<option value="(\d{4}Q[1-4])"/g)].map((m) => m[1]);
		expect(options[0]).toBe(current.key);
		expect(options.at(-1)).toBe('2023Q4');
		expect(report.text).toMatch(new RegExp(`<option value="${current.key}" selected`));
	});
});
