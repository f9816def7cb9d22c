/**
 * Importing the registry (issue 13 point 1): a city reviewer uploads the bureau's spreadsheet of
 * registered sites, maps its columns, reads the dry run's report and confirms. Nothing is written
 * to the registry until the confirmation, and the confirmation writes exactly what the dry run
 * showed: the plan is stored under the upload with the file's hash and the registry's mark, and
 * is refused when either changed since, or while any problem remains (no partial import: a row
 * left out silently is worse than a file sent back).
 *
 * Uploads live under DATA_DIR/registry-imports/<id>/ (`meta.json`, the file, `sheet.json`,
 * `plan.json`); a confirmed import is stored in `registry_imports` with what it changed and one
 * entry of the audit chain (contract §6), in the transaction that writes the sites. The demo
 * seed goes through the same check (`planSiteImport`) and write (`writeSites`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
	guessMapping,
	IMPORT_FIELDS,
	mappingIssues,
	planSiteImport,
	type ColumnMapping,
	type ImportSheet,
	type PlannedSite,
	type SiteImportPlan
} from '../../domain/registry/site-import.js';
import type { CountyCollection } from '../../domain/geometry/counties.js';
import {
	REGISTRY_IMPORT_REPORT_MAX,
	type RegistryImportReport,
	type RegistryImportResult,
	type RegistryImportUpload
} from '../../domain/sync/wire.js';
import type { Principal } from '../auth/roles.js';
import type { DataStore } from '../db/store.js';
import type { RegistryImportRow } from '../db/registry-imports.js';
import { HttpError } from '../http.js';
import { readSheet, saveUpload, SheetError } from './read-sheet.js';

export type RegistryImportDeps = {
	store: DataStore;
	readonly counties: CountyCollection;
	options: { dataDir: string };
};

/** Uploads not confirmed within a day are removed when a new one starts. */
const STALE_MS = 24 * 3600 * 1000;
const ID_PATTERN = /^[0-9a-f]{32}$/;

export type UploadMeta = {
	id: string;
	kind: 'sites' | 'counties';
	userId: number;
	username: string;
	fileName: string;
	sha256: string;
	size: number;
	createdAt: string;
	format?: 'xlsx' | 'csv';
	encoding?: string;
	/** set once confirmed: the stored import */
	applied?: RegistryImportResult['import'];
};

/** What a dry run stored: the sites to write, and what the registry and file were. */
type StoredPlan = {
	plan: string;
	fileSha256: string;
	mark: string;
	mapping: ColumnMapping;
	counts: SiteImportPlan['counts'];
	problems: SiteImportPlan['problems'];
	sites: PlannedSite[];
};

export function uploadsRoot(dataDir: string): string {
	return join(dataDir, 'registry-imports');
}

function dirOf(deps: RegistryImportDeps, id: string): string {
	if (!ID_PATTERN.test(id)) throw new HttpError(404, '没有这个上传');
	return join(uploadsRoot(deps.options.dataDir), id);
}

async function readJsonFile<T>(path: string): Promise<T | undefined> {
	try {
		return JSON.parse(await readFile(path, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

/** The upload when it exists and is this user's (another's answers 404, as if absent). */
export async function ownUpload(
	deps: RegistryImportDeps,
	user: Principal,
	id: string,
	kind: UploadMeta['kind']
): Promise<UploadMeta> {
	const meta = await readJsonFile<UploadMeta>(join(dirOf(deps, id), 'meta.json'));
	if (!meta || meta.userId !== user.id || meta.kind !== kind) {
		throw new HttpError(404, '没有这个上传（已过期清理，或不是你上传的）：请重新上传文件');
	}
	return meta;
}

async function sweep(root: string, now = Date.now()): Promise<void> {
	if (!existsSync(root)) return;
	for (const name of await readdir(root)) {
		if (!ID_PATTERN.test(name)) continue;
		const info = await stat(join(root, name)).catch(() => undefined);
		if (info && now - info.mtimeMs > STALE_MS) {
			await rm(join(root, name), { recursive: true, force: true });
		}
	}
}

/** A file name as given (`?name=`), made safe to show and store. */
export function cleanFileName(name: string | null): string {
	const base = (name ?? '').split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'upload';
}

/**
 * Streams an upload into a new upload directory and hands its path to `read`; the directory is
 * removed when the file is refused.
 */
export async function storeUpload<T>(
	deps: RegistryImportDeps,
	user: Principal,
	kind: UploadMeta['kind'],
	fileName: string,
	body: AsyncIterable<Uint8Array> | null,
	read: (path: string, meta: UploadMeta) => Promise<T>
): Promise<T> {
	const root = uploadsRoot(deps.options.dataDir);
	await sweep(root).catch(() => undefined);
	const id = randomBytes(16).toString('hex');
	const dir = join(root, id);
	mkdirSync(dir, { recursive: true });
	try {
		const { size, sha256 } = await saveUpload(body, join(dir, 'file'));
		const meta: UploadMeta = {
			id,
			kind,
			userId: user.id,
			username: user.username,
			fileName,
			sha256,
			size,
			createdAt: new Date().toISOString()
		};
		const result = await read(join(dir, 'file'), meta);
		await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
		return result;
	} catch (error) {
		await rm(dir, { recursive: true, force: true });
		if (error instanceof SheetError) throw new HttpError(error.status, error.message);
		throw error;
	}
}

/** `POST /api/registry/imports`: reads the file and guesses the mapping. */
export async function uploadSites(
	deps: RegistryImportDeps,
	user: Principal,
	fileName: string,
	body: AsyncIterable<Uint8Array> | null
): Promise<RegistryImportUpload> {
	return storeUpload(deps, user, 'sites', fileName, body, async (path, meta) => {
		const sheet = await readSheet(path, fileName);
		meta.format = sheet.format;
		if (sheet.encoding) meta.encoding = sheet.encoding;
		const sheetData: ImportSheet = { headers: sheet.headers, rows: sheet.rows };
		await writeFile(join(path, '..', 'sheet.json'), JSON.stringify(sheetData));
		const remembered = (await deps.store.read((tx) => tx.registryImports.mapping())) as
			ColumnMapping | undefined;
		const mapping = guessMapping(sheet.headers, remembered);
		return {
			id: meta.id,
			fileName,
			sha256: meta.sha256,
			size: meta.size,
			format: sheet.format,
			...(sheet.encoding ? { encoding: sheet.encoding } : {}),
			headers: [...sheet.headers],
			rowCount: sheet.rows.length,
			preview: sheet.rows.slice(0, 5).map((r) => [...r.cells]),
			mapping,
			remembered:
				remembered !== undefined &&
				IMPORT_FIELDS.some((f) => remembered[f] !== undefined && mapping[f] === remembered[f])
		};
	});
}

/** The SHA-256 of a stored file, read again (the confirmation checks the file is the one planned). */
function fileSha256(path: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const hash = createHash('sha256');
		createReadStream(path)
			.on('data', (chunk) => hash.update(chunk))
			.on('error', reject)
			.on('end', () => resolve(hash.digest('hex')));
	});
}

function reportOf(stored: StoredPlan): RegistryImportReport {
	const changes = stored.sites
		.filter((s) => s.status !== 'unchanged')
		.slice(0, REGISTRY_IMPORT_REPORT_MAX)
		.map((s) => ({
			row: s.row,
			code: s.code,
			name: s.name,
			status: s.status as 'new' | 'changed',
			changes: s.status === 'new' ? [] : s.changes
		}));
	return {
		plan: stored.plan,
		counts: stored.counts,
		problems: stored.problems.slice(0, REGISTRY_IMPORT_REPORT_MAX),
		problemCount: stored.problems.length,
		changes,
		canConfirm: stored.problems.length === 0 && stored.counts.new + stored.counts.changed > 0
	};
}

/**
 * `POST /api/registry/imports/{id}/dry-run`: checks every row under `mapping`, stores the plan
 * and remembers the mapping. Writes nothing to the registry.
 */
export async function dryRunSites(
	deps: RegistryImportDeps,
	user: Principal,
	id: string,
	mapping: ColumnMapping
): Promise<RegistryImportReport> {
	const meta = await ownUpload(deps, user, id, 'sites');
	if (meta.applied) throw new HttpError(409, '这个文件已经导入：如需再次导入，请重新上传');
	const dir = dirOf(deps, id);
	const sheet = await readJsonFile<ImportSheet>(join(dir, 'sheet.json'));
	if (!sheet) throw new HttpError(404, '没有这个上传：请重新上传文件');
	const issues = mappingIssues(sheet.headers, mapping);
	if (issues.length > 0) {
		throw new HttpError(
			400,
			'列对应有误：请按提示修改',
			issues.map((i) => ({ path: `mapping.${i.field}`, message: i.message }))
		);
	}
	const codeColumn = sheet.headers.indexOf(mapping.code!);
	const codes = [
		...new Set(
			sheet.rows.map((r) => (r.cells[codeColumn] ?? '').normalize('NFKC').replace(/\s+/g, ''))
		)
	].filter(Boolean);
	const { mark, existing } = await deps.store.read(async (tx) => ({
		mark: await tx.registry.mark(),
		existing: await tx.registry.byCodes(codes)
	}));
	const result = planSiteImport(sheet, mapping, { existing, counties: deps.counties });
	const stored: StoredPlan = {
		plan: createHash('sha256')
			.update(JSON.stringify([meta.sha256, mapping, mark, randomBytes(8).toString('hex')]))
			.digest('hex')
			.slice(0, 32),
		fileSha256: meta.sha256,
		mark,
		mapping,
		counts: result.counts,
		problems: result.problems,
		sites: result.sites.filter((s) => s.status !== 'unchanged')
	};
	await writeFile(join(dir, 'plan.json'), JSON.stringify(stored));
	await deps.store.write((tx) => tx.registryImports.rememberMapping(mapping));
	return reportOf(stored);
}

/** The upload and its report, when it has been dry-run (the page reloads it). */
export async function readUpload(
	deps: RegistryImportDeps,
	user: Principal,
	id: string
): Promise<{ upload: UploadMeta; report: RegistryImportReport | null }> {
	const meta = await ownUpload(deps, user, id, 'sites');
	const stored = await readJsonFile<StoredPlan>(join(dirOf(deps, id), 'plan.json'));
	return { upload: meta, report: stored ? reportOf(stored) : null };
}

export type SiteWrite = {
	/** the import as stored (with its audit entry); absent for the demo seed, which no one made */
	record?: Omit<RegistryImportRow, 'counts' | 'changes' | 'kind'>;
	counts: SiteImportPlan['counts'];
	sites: readonly PlannedSite[];
};

/**
 * Writes a plan's new and changed sites (each a `site` change in the feed, so devices of the
 * county pull it) and, for a person's import, the import with what it changed and its audit
 * entry. Call inside DataStore.write.
 */
export async function writeSites(tx: DataStore, write: SiteWrite): Promise<number> {
	const changed = write.sites.filter((s) => s.status !== 'unchanged');
	const written = await tx.registry.upsert(changed.map((s) => s.site));
	if (write.record) {
		const { rows, new: added, changed: updated, unchanged } = write.counts;
		await tx.registryImports.record({
			...write.record,
			kind: 'sites',
			counts: JSON.stringify({ rows, new: added, changed: updated, unchanged }),
			changes: JSON.stringify(
				changed.map((s) => ({
					code: s.code,
					status: s.status,
					changes: s.status === 'new' ? [] : s.changes
				}))
			)
		});
	}
	return written;
}

/**
 * `POST /api/registry/imports/{id}/confirm`: writes exactly the dry run's plan, or refuses it
 * (409 the plan, the file or the registry changed since; 422 problems remain or nothing to do).
 */
export async function confirmSites(
	deps: RegistryImportDeps,
	user: Principal,
	id: string,
	planId: string
): Promise<RegistryImportResult> {
	const meta = await ownUpload(deps, user, id, 'sites');
	const dir = dirOf(deps, id);
	if (meta.applied) throw new HttpError(409, '这个文件已经导入，不会重复写入');
	const stored = await readJsonFile<StoredPlan>(join(dir, 'plan.json'));
	if (!stored) throw new HttpError(409, '请先预览（试导入），确认报告后再导入');
	if (stored.plan !== planId) {
		throw new HttpError(409, '这份预览已被更新的预览取代：请按最新的报告确认');
	}
	if ((await fileSha256(join(dir, 'file'))) !== stored.fileSha256) {
		throw new HttpError(409, '上传的文件在预览后发生了变化：请重新上传并预览');
	}
	if (stored.problems.length > 0) {
		throw new HttpError(
			422,
			`报告中还有 ${stored.problems.length} 个问题：有问题时整个文件都不导入。请在表格中修正后重新上传`
		);
	}
	if (stored.sites.length === 0) {
		throw new HttpError(422, '文件中的文物与名录完全一致：没有需要导入的变化');
	}
	const at = new Date().toISOString();
	const importId = randomBytes(16).toString('hex');
	await deps.store.write(async (tx) => {
		if ((await tx.registry.mark()) !== stored.mark) {
			throw new HttpError(409, '名录在预览之后有了变化（他人导入或更新）：请重新预览后再确认');
		}
		await writeSites(tx, {
			record: {
				id: importId,
				at,
				by_user: user.username,
				file_name: meta.fileName,
				file_sha256: meta.sha256
			},
			counts: stored.counts,
			sites: stored.sites
		});
	});
	const { rows, new: added, changed, unchanged } = stored.counts;
	const result: RegistryImportResult = {
		import: {
			id: importId,
			kind: 'sites',
			at,
			by: user.username,
			fileName: meta.fileName,
			counts: { rows, new: added, changed, unchanged }
		}
	};
	meta.applied = result.import;
	await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
	return result;
}
