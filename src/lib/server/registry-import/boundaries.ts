/**
 * The bureau's own county boundaries (issue 13 point 1): uploaded as GeoJSON, checked (a dry run:
 * the problems, each county's area and how many registered sites would fall outside it), and put
 * in force only when confirmed, with the same rules as the sites' import: the plan is stored
 * with the file's hash and the boundaries in force when it was made, and refused when either
 * changed or a problem remains. A confirmed import is stored with the boundaries and one audit
 * entry (`import_counties`); the server's checks use them from then on, and so does
 * `GET /api/public/counties.geojson`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCountyBoundaries, type CountyProblem } from '../../domain/registry/county-import.js';
import { countyFeature, type CountyCollection } from '../../domain/geometry/counties.js';
import { distanceOutsideM } from '../../domain/geometry/measure.js';
import { IMPORT_COUNTY_MARGIN_M } from '../../domain/registry/site-import.js';
import { COUNTIES } from '../../domain/codelists/index.js';
import type { CountyImportReport, RegistryImportResult } from '../../domain/sync/wire.js';
import type { Principal } from '../auth/roles.js';
import { HttpError } from '../http.js';
import { SheetError } from './read-sheet.js';
import { ownUpload, storeUpload, uploadsRoot, type RegistryImportDeps } from './service.js';

export type BoundaryDeps = RegistryImportDeps & { useCounties(counties: CountyCollection): void };

type StoredCountyPlan = {
	plan: string;
	fileSha256: string;
	/** the boundaries in force at the dry run: the id of their import, or `bundled` */
	mark: string;
	problems: CountyProblem[];
	collection: CountyCollection | null;
	report: CountyImportReport;
};

async function currentMark(deps: RegistryImportDeps): Promise<string> {
	const row = await deps.store.read((tx) => tx.registryImports.latestCounties());
	return row?.id ?? 'bundled';
}

/** `POST /api/registry/boundaries`: reads and checks the GeoJSON; writes nothing. */
export async function uploadCounties(
	deps: BoundaryDeps,
	user: Principal,
	fileName: string,
	body: AsyncIterable<Uint8Array> | null
): Promise<CountyImportReport> {
	return storeUpload(deps, user, 'counties', fileName, body, async (path, meta) => {
		let json: unknown;
		try {
			json = JSON.parse(await readFile(path, 'utf8'));
		} catch {
			throw new SheetError(422, '文件不是 JSON：请从 GIS 软件导出 GeoJSON（WGS-84 经纬度）');
		}
		const check = checkCountyBoundaries(json);
		const sitesOutside = new Map<string, number>();
		if (check.collection) {
			for (const county of COUNTIES) {
				const feature = countyFeature(check.collection, county.code);
				const sites = await deps.store.read((tx) => tx.registry.ofCounty(county.code));
				sitesOutside.set(
					county.code,
					sites.filter((s) => {
						const d = feature && distanceOutsideM(s.location, feature.geometry);
						return d?.ok && d.value > IMPORT_COUNTY_MARGIN_M;
					}).length
				);
			}
		}
		const plan = createHash('sha256')
			.update(meta.sha256 + randomBytes(8).toString('hex'))
			.digest('hex')
			.slice(0, 32);
		const report: CountyImportReport = {
			id: meta.id,
			plan,
			fileName,
			problems: check.problems,
			counties: COUNTIES.filter((c) => check.areas.has(c.code)).map((c) => ({
				code: c.code,
				name: c.name,
				areaKm2: Math.round(check.areas.get(c.code)! * 10) / 10,
				sitesOutside: sitesOutside.get(c.code) ?? 0
			})),
			canConfirm: check.collection !== undefined
		};
		const stored: StoredCountyPlan = {
			plan,
			fileSha256: meta.sha256,
			mark: await currentMark(deps),
			problems: check.problems,
			collection: check.collection ?? null,
			report
		};
		await writeFile(join(path, '..', 'plan.json'), JSON.stringify(stored));
		return report;
	});
}

/** `POST /api/registry/boundaries/{id}/confirm`: puts the checked boundaries in force. */
export async function confirmCounties(
	deps: BoundaryDeps,
	user: Principal,
	id: string,
	planId: string
): Promise<RegistryImportResult> {
	const meta = await ownUpload(deps, user, id, 'counties');
	const dir = join(uploadsRoot(deps.options.dataDir), id);
	if (meta.applied) throw new HttpError(409, '这份边界已经启用，不会重复写入');
	let stored: StoredCountyPlan;
	try {
		stored = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as StoredCountyPlan;
	} catch {
		throw new HttpError(404, '没有这个上传：请重新上传文件');
	}
	if (stored.plan !== planId) throw new HttpError(409, '这份检查结果已过期：请按最新的结果确认');
	const bytes = await readFile(join(dir, 'file'));
	if (createHash('sha256').update(bytes).digest('hex') !== stored.fileSha256) {
		throw new HttpError(409, '上传的文件在检查后发生了变化：请重新上传');
	}
	if (!stored.collection || stored.problems.length > 0) {
		throw new HttpError(422, `还有 ${stored.problems.length} 个问题：请修正 GeoJSON 后重新上传`);
	}
	const collection = stored.collection;
	const at = new Date().toISOString();
	const importId = randomBytes(16).toString('hex');
	await deps.store.write(async (tx) => {
		const latest = await tx.registryImports.latestCounties();
		if ((latest?.id ?? 'bundled') !== stored.mark) {
			throw new HttpError(409, '检查之后已有另一份边界启用：请重新上传并检查');
		}
		await tx.registryImports.record({
			id: importId,
			kind: 'counties',
			at,
			by_user: user.username,
			file_name: meta.fileName,
			file_sha256: meta.sha256,
			counts: JSON.stringify({ counties: collection.features.length }),
			changes: JSON.stringify(collection)
		});
	});
	deps.useCounties(collection);
	const result: RegistryImportResult = {
		import: {
			id: importId,
			kind: 'counties',
			at,
			by: user.username,
			fileName: meta.fileName,
			counts: { counties: collection.features.length }
		}
	};
	meta.applied = result.import;
	await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
	return result;
}
