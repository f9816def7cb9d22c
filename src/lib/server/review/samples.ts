import { randomInt } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
	COUNTY_CODES,
	RECORD_STATUSES,
	type CountyCode,
	type RecordStatus
} from '../../domain/codelists/index.js';
import { parseWith, type Issue } from '../../domain/schemas/common.js';
import {
	SampleConclusionBodySchema,
	SampleDrawBodySchema,
	type SampleConclusionResponse,
	type SampleItem,
	type SampleListResponse,
	type SampleResponse,
	type SampleResult,
	type SampleSummary
} from '../../domain/sync/wire.js';
import type { DataStore } from '../db/store.js';
import { compare, type PopulationRow, type SampleCounts, type SampleRow } from '../db/samples.js';
import type { Principal } from '../auth/roles.js';

/** What a draw takes from when the body names no status: records the county has approved, and the city's. */
export const DEFAULT_SAMPLE_STATUSES: readonly RecordStatus[] = ['county_approved', 'accepted'];

export type SampleOutcome<T> =
	| { ok: true; value: T }
	| { ok: false; status: 400 | 403 | 404 | 422; error: string; issues?: Issue[] };

// ---- the draw: a pure function of the seed and the records ------------------------------------

/**
 * The 32-bit seed of one county's generator: FNV-1a of the UTF-8 bytes of `<seed>:<county>`.
 * Each county has a generator of its own, so the sample of one county does not depend on which
 * other counties were drawn with it.
 */
export function countySeed(seed: string, county: string): number {
	let hash = 0x811c9dc5;
	for (const byte of new TextEncoder().encode(`${seed}:${county}`)) {
		hash ^= byte;
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash | 0;
}

/** How many of `n` records a draw of `percent` % takes: ⌈percent/100 × n⌉, 0 when n is 0. */
export function sampleSize(percent: number, n: number): number {
	if (n <= 0) return 0;
	// percent × n first: 10 % of 30 is exactly 3, where 0.1 × 30 is 3.0000000000000004
	const exact = (percent * n) / 100;
	return Math.min(n, Math.max(0, Math.ceil(exact - 1e-9)));
}

/**
 * Draws a sample (contract §3, spot checks): per county, its records ordered by id (code units),
 * then the first ⌈percent/100 × n⌉ of a Fisher–Yates shuffle driven by xoroshiro128+ (pure-rand)
 * seeded with `countySeed(seed, county)`. The same seed over the same records MUST give the same
 * sample, whatever order the records come in. Returns the drawn records ordered by county, then
 * id, and each county's population (every county of `counties`, 0 when it has none).
 */
export function drawSample(
	seed: string,
	percent: number,
	counties: readonly CountyCode[],
	population: readonly PopulationRow[]
): { picked: PopulationRow[]; populations: Partial<Record<CountyCode, number>> } {
	const picked: PopulationRow[] = [];
	const populations: Partial<Record<CountyCode, number>> = {};
	for (const county of [...counties].sort(compare)) {
		const rows = population
			.filter((row) => row.countyCode === county)
			.sort((a, b) => compare(a.id, b.id));
		populations[county] = rows.length;
		const k = sampleSize(percent, rows.length);
		if (k === 0) continue;
		const rng = xoroshiro128plus(countySeed(seed, county));
		for (let i = 0; i < k; i++) {
			const j = uniformInt(rng, i, rows.length - 1);
			const t = rows[i]!;
			rows[i] = rows[j]!;
			rows[j] = t;
		}
		picked.push(...rows.slice(0, k).sort((a, b) => compare(a.id, b.id)));
	}
	return { picked, populations };
}

/** A seed the server makes when the reviewer gives none: nine digits, easy to read out and type. */
export function randomSeed(): string {
	return String(randomInt(100_000_000, 1_000_000_000));
}

// ---- results ------------------------------------------------------------------------------------

function result(population: number, counts: SampleCounts): SampleResult {
	return {
		population,
		...counts,
		passRate: counts.concluded > 0 ? counts.passed / counts.concluded : null
	};
}

function countsOf(items: readonly Pick<SampleItem, 'conclusion'>[]): SampleCounts {
	return {
		sampled: items.length,
		concluded: items.filter((i) => i.conclusion !== null).length,
		passed: items.filter((i) => i.conclusion === '合格').length,
		failed: items.filter((i) => i.conclusion === '不合格').length
	};
}

const populationOf = (sample: SampleRow) =>
	Object.values(sample.populations).reduce((a, b) => a + (b ?? 0), 0);

function summary(sample: SampleRow, counts: SampleCounts): SampleSummary {
	const { populations: _, ...rest } = sample;
	return { ...rest, total: result(populationOf(sample), counts) };
}

function countyResult(sample: SampleRow, county: CountyCode, items: readonly SampleItem[]) {
	return {
		countyCode: county,
		...result(
			sample.populations[county] ?? 0,
			countsOf(items.filter((i) => i.countyCode === county))
		)
	};
}

function response(sample: SampleRow, items: SampleItem[]): SampleResponse {
	return {
		sample: summary(sample, countsOf(items)),
		items,
		byCounty: sample.counties.map((county) => countyResult(sample, county, items))
	};
}

// ---- the service --------------------------------------------------------------------------------

/** Spot checks are the city's: anyone else gets 403 (contract §3). */
export function cityOnly(
	user: Principal
): Extract<SampleOutcome<never>, { ok: false }> | undefined {
	if (user.role === 'city_reviewer') return undefined;
	return {
		ok: false,
		status: 403,
		error: `抽查由市级审核员进行：账号 ${user.username} 不能抽取、查看或填写抽查`
	};
}

/** A sample's id as the path names it: a positive integer, or nothing (404). */
function sampleId(raw: string): number | undefined {
	return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : undefined;
}

/** The first issue as a person reads it: "percent：抽查比例至少 0.1%". */
const firstIssue = (issues: readonly Issue[]) => {
	const issue = issues[0];
	if (!issue) return '';
	return issue.path ? `${issue.path}：${issue.message}` : issue.message;
};

const NO_SAMPLE = { ok: false, status: 404, error: '没有这次抽查' } as const;

export type DrawPlan = {
	percent: number;
	counties: CountyCode[];
	statuses: RecordStatus[];
	seed: string | null;
	note: string | null;
	/** per county in code order: its records in the statuses, and how many a draw takes */
	counts: { countyCode: CountyCode; population: number; size: number }[];
};

/**
 * Reads a draw's body: the counties and statuses in code-list order, duplicates dropped, the
 * defaults filled in. 400 with the issues when it is not a draw.
 */
function readDraw(input: unknown): SampleOutcome<Omit<DrawPlan, 'counts'>> {
	const parsed = parseWith(SampleDrawBodySchema, input);
	if (!parsed.ok)
		return {
			ok: false,
			status: 400,
			error: `抽查请求不合格（应为 {percent, counties?, statuses?, seed?, note?}）：${firstIssue(parsed.issues)}`,
			issues: parsed.issues
		};
	const body = parsed.value;
	const counties = body.counties ?? COUNTY_CODES;
	const statuses = body.statuses ?? DEFAULT_SAMPLE_STATUSES;
	return {
		ok: true,
		value: {
			percent: body.percent,
			counties: COUNTY_CODES.filter((c) => counties.includes(c)),
			statuses: RECORD_STATUSES.filter((s) => statuses.includes(s)),
			seed: body.seed ?? null,
			note: body.note || null
		}
	};
}

function emptyPopulation(): Extract<SampleOutcome<never>, { ok: false }> {
	return {
		ok: false,
		status: 422,
		error: '所选旗区中没有所选状态的记录，没有可抽取的记录：请多选旗区或状态后再抽取'
	};
}

/**
 * What a draw would take, per county, without drawing (the page's confirmation). The numbers
 * hold as long as no record enters or leaves the statuses before the draw.
 */
export async function planDraw(
	store: DataStore,
	user: Principal,
	input: unknown
): Promise<SampleOutcome<DrawPlan>> {
	const refused = cityOnly(user);
	if (refused) return refused;
	const read = readDraw(input);
	if (!read.ok) return read;
	const body = read.value;
	const population = await store.read((tx) => tx.samples.population(body.counties, body.statuses));
	if (population.length === 0) return emptyPopulation();
	const counts = body.counties.map((countyCode) => {
		const n = population.filter((r) => r.countyCode === countyCode).length;
		return { countyCode, population: n, size: sampleSize(body.percent, n) };
	});
	return { ok: true, value: { ...body, counts } };
}

/**
 * Draws a sample and stores it with its seed (made here when the body gives none), percent,
 * statuses, counties, each county's population, who and when, and each drawn record with its
 * revision now; the population is read and the draw stored in one transaction. 422 when the
 * counties hold no record in the statuses: nothing is stored.
 */
export async function draw(
	store: DataStore,
	user: Principal,
	input: unknown,
	now = new Date(),
	makeSeed: () => string = randomSeed
): Promise<SampleOutcome<SampleResponse>> {
	const refused = cityOnly(user);
	if (refused) return refused;
	const read = readDraw(input);
	if (!read.ok) return read;
	const body = read.value;
	const seed = body.seed ?? makeSeed();
	return store.write(async ({ samples }): Promise<SampleOutcome<SampleResponse>> => {
		const population = await samples.population(body.counties, body.statuses);
		if (population.length === 0) return emptyPopulation();
		const { picked, populations } = drawSample(seed, body.percent, body.counties, population);
		const sample: Omit<SampleRow, 'id'> = {
			drawnAt: now.toISOString(),
			drawnBy: user.username,
			seed,
			percent: body.percent,
			statuses: body.statuses,
			counties: body.counties,
			populations,
			note: body.note
		};
		const id = await samples.create(sample, picked);
		return { ok: true, value: response({ id, ...sample }, await samples.items(id)) };
	});
}

/** Every draw, newest first, with its progress. */
export async function listSamples(
	store: DataStore,
	user: Principal
): Promise<SampleOutcome<SampleListResponse>> {
	const refused = cityOnly(user);
	if (refused) return refused;
	const rows = await store.read((tx) => tx.samples.list());
	return { ok: true, value: { samples: rows.map(({ counts, ...row }) => summary(row, counts)) } };
}

/** One draw with its records and the results per county; 404 when there is no such draw. */
export async function readSample(
	store: DataStore,
	user: Principal,
	rawId: string
): Promise<SampleOutcome<SampleResponse>> {
	const refused = cityOnly(user);
	if (refused) return refused;
	const id = sampleId(rawId);
	if (id === undefined) return NO_SAMPLE;
	return store.read(async ({ samples }): Promise<SampleOutcome<SampleResponse>> => {
		const sample = await samples.get(id);
		if (!sample) return NO_SAMPLE;
		return { ok: true, value: response(sample, await samples.items(id)) };
	});
}

/**
 * Records the conclusion (合格 / 不合格, with an optional note) on one drawn record, replacing an
 * earlier one, with who and when. 404 when the draw or the record in it does not exist.
 */
export async function conclude(
	store: DataStore,
	user: Principal,
	rawId: string,
	recordId: string,
	input: unknown,
	now = new Date()
): Promise<SampleOutcome<SampleConclusionResponse>> {
	const refused = cityOnly(user);
	if (refused) return refused;
	const id = sampleId(rawId);
	if (id === undefined) return NO_SAMPLE;
	const parsed = parseWith(SampleConclusionBodySchema, input);
	if (!parsed.ok)
		return {
			ok: false,
			status: 400,
			error: `抽查结论不合格（应为 {conclusion: "合格" 或 "不合格", note?}）：${firstIssue(parsed.issues)}`,
			issues: parsed.issues
		};
	const { conclusion, note } = parsed.value;
	return store.write(async ({ samples }): Promise<SampleOutcome<SampleConclusionResponse>> => {
		const sample = await samples.get(id);
		if (!sample) return NO_SAMPLE;
		const stored = await samples.conclude(id, recordId, {
			conclusion,
			note: note || null,
			by: user.username,
			at: now.toISOString()
		});
		if (!stored) return { ok: false, status: 404, error: '这条记录不在这次抽查中' };
		const items = await samples.items(id);
		const item = items.find((i) => i.recordId === recordId)!;
		return {
			ok: true,
			value: {
				item,
				county: countyResult(sample, item.countyCode, items),
				total: result(populationOf(sample), countsOf(items))
			}
		};
	});
}
