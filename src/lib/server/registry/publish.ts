import { COUNTY_CODES } from '../../domain/codelists/index.js';
import { SITE_CODE_PATTERN } from '../../domain/schemas/survey-record.js';
import { parseWith, type Issue } from '../../domain/schemas/common.js';
import {
	compareSites,
	lostOf,
	nextCode,
	siteOfRecord,
	type PublishedSiteData
} from '../../domain/registry/publish.js';
import {
	PublishBodySchema,
	VERSION_MAX_LIMIT,
	VERSION_PAGE_SIZE,
	type PublishResponse,
	type RegistryVersionListResponse,
	type SiteLineage,
	type VersionCompareResponse,
	type VersionResponse,
	type VersionSite,
	type VersionSiteResponse
} from '../../domain/sync/wire.js';
import { sql } from 'kysely';
import type { DataStore } from '../db/store.js';
import type { RecordRow } from '../db/records.js';
import type { VersionSiteRow } from '../db/registry-versions.js';
import { inScope, type Principal } from '../auth/roles.js';

/*
 * Publishing the registry (issue 13 point 3; contract §5 *Publishing*): a city reviewer turns
 * every `accepted` record into a new, numbered, immutable registry version, and reviewers read
 * the versions, each site's lineage and what changed between two versions.
 */

export type RegistryOutcome<T> =
	| { ok: true; value: T }
	| { ok: false; status: 400 | 403 | 404 | 422; error: string; issues?: Issue[] };

/** Records taken per step of a publish: one page of records, sites and revisions in memory. */
export const PUBLISH_PAGE = 500;

/** A refusal found once the publish has begun writing: thrown, so its transaction rolls back. */
class PublishRefused extends Error {}

function refuse<T>(
	status: 400 | 403 | 404 | 422,
	error: string,
	issues?: Issue[]
): RegistryOutcome<T> {
	return issues ? { ok: false, status, error, issues } : { ok: false, status, error };
}

/** Only a city reviewer publishes (contract §1). */
export function cityOnly(user: Principal): RegistryOutcome<never> | undefined {
	if (user.role === 'city_reviewer') return undefined;
	return refuse(403, '只有市级审核员可以发布名录');
}

/** Registry versions are read by reviewers; a surveyor reads the registry through `GET /api/registry`. */
function reviewersOnly(user: Principal): RegistryOutcome<never> | undefined {
	if (user.role !== 'surveyor') return undefined;
	return refuse(403, '名录版本只供审核人员查看：调查员请在采集应用中查看本旗区名录');
}

/**
 * Publishes every `accepted` record as the next registry version, in one writing transaction
 * (all of it, or nothing):
 * 1. the version starts from the version before it and the imported registry (carryForward);
 * 2. the records, in the order they were accepted (then by id), a page at a time: a 复查
 *    replaces its site's entry (消失: marked lost with its reason), a 新发现 becomes a new site
 *    with its county's next code;
 * 3. each record gets a `publish` revision (status `published`) with its audit entry and a
 *    change in the feed, through the same paths as decisions.
 * With no accepted record there is nothing to publish: `422`, and nothing is written.
 */
export async function publish(
	store: DataStore,
	user: Principal,
	input: unknown,
	now = new Date()
): Promise<RegistryOutcome<PublishResponse>> {
	const refused = cityOnly(user);
	if (refused) return refused;
	const parsed = parseWith(PublishBodySchema, input);
	if (!parsed.ok) return refuse(400, '发布请求不合格：请填写发布说明（note）', parsed.issues);
	const at = now.toISOString();
	try {
		const outcome = await store.write(async (tx): Promise<RegistryOutcome<PublishResponse>> => {
			if ((await tx.records.countAccepted()) === 0)
				return refuse(
					422,
					'没有可公布的记录：只有市局审核通过（已通过）的记录才能公布，请先完成市级审核'
				);
			const versions = tx.registryVersions;
			const version = (await versions.latest()) + 1;
			await versions.create({ version, at, by: user.username, note: parsed.value.note });
			await versions.carryForward(version);
			const counts = { records: 0, added: 0, changed: 0, lost: 0 };
			/** per re-checked code: whether it was lost before this version, and what it counted as */
			const touched = new Map<string, { wasLost: boolean; counted: 'changed' | 'lost' | null }>();
			const highest = new Map<string, string | undefined>();
			for (;;) {
				const page = await tx.records.acceptedPage(PUBLISH_PAGE);
				if (page.length === 0) break;
				const contentRevisions = await tx.records.contentRevisions(page.map((r) => r.id));
				const rechecked = [
					...new Set(page.map((r) => r.record.siteCode).filter((c): c is string => !!c))
				];
				const entries = await versions.sitesByCode(version, rechecked);
				const written = new Map<string, VersionSiteRow>();
				const codes = new Map<string, string>();
				for (const row of page) {
					const site = await placeRecord(row, {
						version,
						entry: (code) => written.get(code) ?? entries.get(code),
						next: async (county) => {
							if (!highest.has(county))
								highest.set(county, await versions.highestCode(county, version));
							const code = nextCode(county, highest.get(county));
							if (!code)
								throw new PublishRefused(
									`旗区 ${county} 的登记编号已用到 ${county}-9999，无法再编号：请联系系统管理员`
								);
							highest.set(county, code);
							return code;
						},
						contentRevision: contentRevisions.get(row.id) ?? row.revision
					});
					const before = written.get(site.row.code) ?? entries.get(site.row.code);
					count(counts, touched, site.row, before);
					written.set(site.row.code, site.row);
					codes.set(row.id, site.row.code);
				}
				await versions.putSites(version, [...written.values()]);
				await tx.records.storePublications(page, { by: user.username, at, version, codes });
				counts.records += page.length;
			}
			const sites = await versions.finish(version, counts);
			return { ok: true, value: { version, count: counts.records, sites } };
		});
		if (outcome.ok) await analyzeVersions(store);
		return outcome;
	} catch (error) {
		if (error instanceof PublishRefused) return refuse(422, error.message);
		throw error;
	}
}

/**
 * PostgreSQL: new statistics of the version tables after a publish has added a version's sites
 * (100,000 rows at once). Until autovacuum gets to them, the planner reads a version's pages
 * (the public index, downloads) with the estimates of the table as it was: 20 s instead of 2 s
 * to read 100,000 sites in the bench. SQLite plans by its indexes alone.
 */
async function analyzeVersions(store: DataStore): Promise<void> {
	if (store.dialect !== 'postgres') return;
	await sql`ANALYZE registry_version_sites`.execute(store.db);
}

/** The entry an accepted record makes in the version being published. */
async function placeRecord(
	row: RecordRow,
	context: {
		version: number;
		entry: (code: string) => VersionSiteRow | undefined;
		next: (county: string) => Promise<string>;
		contentRevision: number;
	}
): Promise<{ row: VersionSiteRow }> {
	const { record } = row;
	const entry =
		record.kind === '复查' && record.siteCode ? context.entry(record.siteCode) : undefined;
	const code =
		record.kind === '复查' && record.siteCode
			? record.siteCode
			: await context.next(row.countyCode);
	const lost = lostOf(record);
	return {
		row: {
			version: context.version,
			code,
			countyCode: entry?.countyCode ?? row.countyCode,
			data: siteOfRecord(record, code, entry?.data),
			lost: lost.lost,
			lostReason: lost.reason,
			source: 'record',
			recordId: row.id,
			recordRevision: context.contentRevision,
			publishedRevision: row.revision + 1,
			sinceVersion: context.version
		}
	};
}

/**
 * Counts a record's entry in the version's `added`, `changed` and `lost`: a new site is added; a
 * re-checked one counts once, as lost when it was not lost before this version and is now, as
 * changed when a field differs from its entry, otherwise not at all.
 */
function count(
	counts: { added: number; changed: number; lost: number },
	touched: Map<string, { wasLost: boolean; counted: 'changed' | 'lost' | null }>,
	site: VersionSiteRow,
	before: VersionSiteRow | undefined
): void {
	if (!before) {
		counts.added++;
		return;
	}
	const mark = touched.get(site.code) ?? { wasLost: before.lost, counted: null };
	touched.set(site.code, mark);
	const now: 'changed' | 'lost' | null =
		site.lost && !mark.wasLost
			? 'lost'
			: compareSites(withLost(before), withLost(site)).length > 0 || mark.counted === 'changed'
				? 'changed'
				: null;
	if (mark.counted) counts[mark.counted]--;
	if (now) counts[now]++;
	mark.counted = now;
}

function withLost(
	row: VersionSiteRow
): PublishedSiteData & { lost: boolean; lostReason: string | null } {
	return { ...row.data, lost: row.lost, lostReason: row.lostReason };
}

// ---- reading ------------------------------------------------------------------------------------

/** A version's site as reviewers read it (exact geometry: never for public outputs). */
export function versionSite(row: VersionSiteRow): VersionSite {
	return {
		...row.data,
		lost: row.lost,
		lostReason: row.lostReason,
		source: row.source,
		recordId: row.recordId,
		recordRevision: row.recordRevision,
		sinceVersion: row.sinceVersion
	};
}

/** Every version, newest first (reviewers). */
export async function listVersions(
	store: DataStore,
	user: Principal
): Promise<RegistryOutcome<RegistryVersionListResponse>> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	return { ok: true, value: { versions: await store.registryVersions.list() } };
}

/** A version number from a path: 1, 2, 3, … */
export function versionNumber(text: string): number | undefined {
	return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}

const noVersion = (text: string) =>
	refuse<never>(404, `没有第 ${text.slice(0, 12)} 版名录：请在名录发布页查看已发布的版本`);

/**
 * One version and a page of its sites of the user's counties (or of `county`), in code order
 * after `after`; `limit` 1–5000, 1000 by default.
 */
export async function readVersion(
	store: DataStore,
	user: Principal,
	versionText: string,
	query: URLSearchParams
): Promise<RegistryOutcome<VersionResponse>> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	const county = query.get('county');
	const after = query.get('after');
	const limitText = query.get('limit');
	if (county !== null && !(COUNTY_CODES as readonly string[]).includes(county))
		return refuse(
			400,
			`旗区代码 “${county.slice(0, 20)}” 不存在：应为 ${COUNTY_CODES.join('、')} 之一`
		);
	if (after !== null && !SITE_CODE_PATTERN.test(after))
		return refuse(400, 'after 应为上一页最后一处的登记编号（旗区代码-4位序号）');
	const limit = limitText === null ? VERSION_PAGE_SIZE : Number(limitText);
	if (!Number.isInteger(limit) || limit < 1 || limit > VERSION_MAX_LIMIT)
		return refuse(400, `limit 应为 1 到 ${VERSION_MAX_LIMIT} 之间的整数`);
	if (county !== null && !inScope(user, county))
		return refuse(403, `账号 ${user.username} 无权查看旗区 ${county} 的名录`);
	const version = versionNumber(versionText);
	return store.read(async (tx): Promise<RegistryOutcome<VersionResponse>> => {
		const found = version === undefined ? undefined : await tx.registryVersions.get(version);
		if (!found) return noVersion(versionText);
		const rows = await tx.registryVersions.page(found.version, {
			counties: county ? [county] : user.counties,
			...(after !== null ? { after } : {}),
			limit: limit + 1
		});
		const more = rows.length > limit;
		const sites = rows.slice(0, limit);
		return {
			ok: true,
			value: {
				version: found,
				sites: sites.map(versionSite),
				next: more ? sites.at(-1)!.code : null
			}
		};
	});
}

/**
 * One site of a version with its lineage: the record revision whose content it holds, the
 * decisions on it (the county's approval, the city's, and the publication, each with who and
 * when) and the record's history up to its publication; or the imported registry entry. A site
 * of a county outside the user's answers `404`, as one that does not exist.
 */
export async function readVersionSite(
	store: DataStore,
	user: Principal,
	versionText: string,
	code: string
): Promise<RegistryOutcome<VersionSiteResponse>> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	const version = versionNumber(versionText);
	return store.read(async (tx): Promise<RegistryOutcome<VersionSiteResponse>> => {
		const found = version === undefined ? undefined : await tx.registryVersions.get(version);
		if (!found) return noVersion(versionText);
		const row = SITE_CODE_PATTERN.test(code)
			? await tx.registryVersions.site(found.version, code)
			: undefined;
		if (!row || !inScope(user, row.countyCode))
			return refuse(404, `第 ${found.version} 版名录中没有编号为 ${code.slice(0, 20)} 的文物点`);
		return {
			ok: true,
			value: { version: found.version, site: versionSite(row), lineage: await lineageOf(tx, row) }
		};
	});
}

async function lineageOf(tx: DataStore, row: VersionSiteRow): Promise<SiteLineage> {
	if (row.source === 'import' || !row.recordId || row.publishedRevision === null)
		return { source: 'import', since: row.sinceVersion };
	const published = row.publishedRevision;
	const history = (await tx.records.history(row.recordId)).filter((h) => h.revision <= published);
	const lastPush = history.filter((h) => h.action === 'push').at(-1)?.revision ?? 0;
	const record = await tx.records.get(row.recordId);
	return {
		source: 'record',
		recordId: row.recordId,
		kind: record?.record.kind ?? '',
		revision: row.recordRevision ?? lastPush,
		publishedRevision: published,
		publishedIn: row.sinceVersion,
		decisions: history.filter(
			(h) => h.revision > lastPush && (h.action === 'approve' || h.action === 'publish')
		),
		history
	};
}

/**
 * What version `to` holds differently from version `from`, of the user's counties, in code
 * order: sites added, removed (only going backwards), newly lost (with the reason and the
 * fields that changed) and changed (field by field).
 */
export async function compareVersions(
	store: DataStore,
	user: Principal,
	fromText: string,
	toText: string
): Promise<RegistryOutcome<VersionCompareResponse>> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	const from = versionNumber(fromText);
	const to = versionNumber(toText);
	return store.read(async (tx): Promise<RegistryOutcome<VersionCompareResponse>> => {
		const a = from === undefined ? undefined : await tx.registryVersions.get(from);
		if (!a) return noVersion(fromText);
		const b = to === undefined ? undefined : await tx.registryVersions.get(to);
		if (!b) return noVersion(toText);
		const out: VersionCompareResponse = {
			from: a.version,
			to: b.version,
			added: [],
			removed: [],
			lost: [],
			changed: []
		};
		let after: string | undefined;
		for (;;) {
			const pairs = await tx.registryVersions.differing(a.version, b.version, {
				counties: user.counties,
				...(after !== undefined ? { after } : {}),
				limit: 1000
			});
			for (const pair of pairs) {
				const name = (pair.b ?? pair.a)?.data.name ?? null;
				const countyCode = (pair.b ?? pair.a)!.countyCode;
				const base = { code: pair.code, countyCode, name };
				if (!pair.a) out.added.push({ ...base, lost: pair.b!.lost });
				else if (!pair.b) out.removed.push(base);
				else {
					const changes = compareSites(withLost(pair.a), withLost(pair.b));
					if (pair.b.lost && !pair.a.lost)
						out.lost.push({ ...base, lostReason: pair.b.lostReason, changes });
					else if (changes.length > 0) out.changed.push({ ...base, changes });
				}
			}
			if (pairs.length < 1000) break;
			after = pairs.at(-1)!.code;
		}
		return { ok: true, value: out };
	});
}
