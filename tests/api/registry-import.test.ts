/**
 * Importing the registry (issue 13 point 1, contract §3 *Registry import*) against a real server
 * with real files made here (exceljs, iconv-lite): the done-when (a 1,000-row XLSX with 20 seeded
 * defects is reported with exactly those 20; nothing is written until confirmed; a GBK CSV
 * imports with its Chinese intact), a re-import that changes one field (audit entry, `site`
 * change pulled by a surveyor of the county, `npm run audit:verify` intact), who may do what, and
 * the files refused (zip bomb, oversized, wrong type).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, type ApiResponse } from './harness.js';
import type {
	CountyImportReport,
	RegistryImportReport,
	RegistryImportResult,
	RegistryImportUpload
} from '$lib/domain/sync/wire.js';
import type { RegisteredSite } from '$lib/domain/schemas/index.js';
import { csvOf, defectiveRows, gbkCsvOf, validRows, xlsxOf } from '../fixtures/registry-sheets.js';

let server: TestServer;
let city: string;

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	// the first upload makes DATA_DIR/registry-imports; snapshots taken after it compare the rest
	await upload(csvOf(validRows(1)), 'warm-up.csv');
});
afterAll(async () => {
	await server?.stop();
});

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.stringMatching(/[\u4e00-\u9fff]/) });
}

function upload(body: Uint8Array | string, name: string, token = city): Promise<ApiResponse> {
	return server.request('POST', `/api/registry/imports?name=${encodeURIComponent(name)}`, {
		token,
		body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
		headers: { 'content-type': 'application/octet-stream' }
	});
}

async function uploaded(body: Uint8Array | string, name: string): Promise<RegistryImportUpload> {
	const response = await upload(body, name);
	expect(response.status, response.text).toBe(201);
	return response.json as RegistryImportUpload;
}

async function dryRun(file: RegistryImportUpload, token = city): Promise<RegistryImportReport> {
	const response = await server.post(
		`/api/registry/imports/${file.id}/dry-run`,
		{ mapping: file.mapping },
		token
	);
	expect(response.status, response.text).toBe(200);
	return response.json as RegistryImportReport;
}

const confirm = (id: string, plan: string, token = city) =>
	server.post(`/api/registry/imports/${id}/confirm`, { plan }, token);

function auditVerify(): Promise<{ code: number; out: string }> {
	return new Promise((resolve) => {
		execFile(
			'npx',
			['tsx', 'scripts/audit-verify.ts'],
			{
				env: { ...process.env, DATA_DIR: server.dataDir, ...server.databaseEnv },
				timeout: 120_000
			},
			(error, stdout, stderr) =>
				resolve({
					code: error ? ((error as { code?: number }).code ?? 1) : 0,
					out: stdout + stderr
				})
		);
	});
}

describe('registry import: the done-when', () => {
	it('a 1,000-row XLSX with 20 seeded defects: a report of exactly those 20, and nothing written', async () => {
		const { rows, expected } = defectiveRows(1000);
		const before = await server.snapshot();
		const file = await uploaded(await xlsxOf(rows), '第三次普查名录.xlsx');
		expect(file).toMatchObject({ format: 'xlsx', rowCount: 1000, fileName: '第三次普查名录.xlsx' });
		expect(file.mapping).toMatchObject({ code: '编号', name: '名称', lon: '经度', lat: '纬度' });
		const report = await dryRun(file);
		expect(report.problems.map((p) => `${p.row}|${p.column}`).sort()).toEqual([...expected].sort());
		expect(report.problemCount).toBe(20);
		for (const p of report.problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
		expect(report.counts).toEqual({ rows: 1000, new: 980, changed: 0, unchanged: 0, refused: 20 });
		expect(report.canConfirm).toBe(false);
		// refused while a problem remains: the whole file, not the good rows
		expectError(await confirm(file.id, report.plan), 422);
		expect(await server.snapshot()).toEqual(before);
	});

	it('a GBK CSV imports with its Chinese intact, only once confirmed', async () => {
		const rows = validRows(12, 7001);
		rows[0]!.名称 = '巴音敖包烽燧遗址（明长城）';
		rows[0]!.地址 = '札萨克镇巴音敖包村西北约1.2公里台地';
		const before = await server.snapshot();
		const file = await uploaded(gbkCsvOf(rows), '名录-GBK.csv');
		expect(file).toMatchObject({ format: 'csv', encoding: 'GB18030', rowCount: 12 });
		expect(file.headers).toContain('所在旗区');
		const report = await dryRun(file);
		expect(report.problems).toEqual([]);
		expect(report.counts).toMatchObject({ new: 12, changed: 0 });
		expect(report.canConfirm).toBe(true);
		expect(await server.snapshot()).toEqual(before);

		const done = await confirm(file.id, report.plan);
		expect(done.status, done.text).toBe(200);
		expect((done.json as RegistryImportResult).import).toMatchObject({
			kind: 'sites',
			by: 'city',
			counts: { rows: 12, new: 12, changed: 0, unchanged: 0 }
		});
		const county = String(rows[0]!.所在旗区) as '150602';
		const site = (await server.sites(county)).find((s) => s.code === rows[0]!.编号);
		expect(site).toMatchObject({
			name: '巴音敖包烽燧遗址（明长城）',
			address: '札萨克镇巴音敖包村西北约1.2公里台地',
			township: '测试镇',
			threats: ['沙漠化（风沙侵蚀）', '农耕']
		});
		// the same plan again: refused, nothing more written
		const after = await server.snapshot();
		expectError(await confirm(file.id, report.plan), 409);
		expect(await server.snapshot()).toEqual(after);
	});

	it('remembers the mapping for the next file', async () => {
		const rows = validRows(2, 7101);
		const headers = [
			'文物点编号',
			'文物名称',
			'旗区',
			'乡镇',
			'类别',
			'细类',
			'年代',
			'级别',
			'所有权',
			'现状评估',
			'开放状况',
			'面积（平方米）',
			'经度',
			'纬度'
		];
		const renamed = rows.map((r) => ({
			...r,
			文物点编号: r.编号,
			文物名称: r.名称,
			旗区: r.所在旗区
		}));
		const first = await uploaded(csvOf(renamed as never, headers), 'a.csv');
		expect(first.mapping.code).toBeUndefined();
		const report = await server.post(
			`/api/registry/imports/${first.id}/dry-run`,
			{ mapping: { ...first.mapping, code: '文物点编号' } },
			city
		);
		expect(report.status, report.text).toBe(200);
		const second = await uploaded(csvOf(renamed as never, headers), 'b.csv');
		expect(second.mapping.code).toBe('文物点编号');
		expect(second.remembered).toBe(true);
	});
});

describe('registry import: re-import, audit and the change feed', () => {
	it('a changed field is written, audited (old → new) and pulled by a surveyor of the county', async () => {
		const code = '150627-0001';
		const old = (await server.sites('150627')).find((s) => s.code === code)!;
		expect(old).toBeTruthy();
		const surveyor = await server.as('surveyor-150627');
		const other = await server.as('surveyor-150621');
		const cursorOf = async (token: string) => {
			let cursor = '';
			for (;;) {
				const r = await server.get(`/api/sync/pull${cursor ? `?since=${cursor}` : ''}`, token);
				const body = r.json as { cursor: string; more: boolean };
				cursor = body.cursor;
				if (!body.more) return cursor;
			}
		};
		const since = await cursorOf(surveyor);
		const sinceOther = await cursorOf(other);

		const condition = old.condition === '差' ? '较好' : '差';
		const file = await uploaded(`编号,现状评估\r\n${code},${condition}\r\n`, 'fix.csv');
		const report = await server.post(
			`/api/registry/imports/${file.id}/dry-run`,
			{ mapping: { code: '编号', condition: '现状评估' } },
			city
		);
		const body = report.json as RegistryImportReport;
		expect(body.counts).toMatchObject({ new: 0, changed: 1, unchanged: 0 });
		expect(body.changes).toEqual([
			{
				row: 2,
				code,
				name: old.name,
				status: 'changed',
				changes: [{ field: 'condition', old: old.condition, new: condition }]
			}
		]);
		const done = await confirm(file.id, body.plan);
		expect(done.status, done.text).toBe(200);
		const importId = (done.json as RegistryImportResult).import.id;

		const pulled = await server.get(`/api/sync/pull?since=${since}`, surveyor);
		const changes = (pulled.json as { changes: { type: string; site?: RegisteredSite }[] }).changes;
		expect(changes.filter((c) => c.type === 'site').map((c) => c.site)).toEqual([
			{ ...old, condition }
		]);
		const otherPull = await server.get(`/api/sync/pull?since=${sinceOther}`, other);
		expect((otherPull.json as { changes: unknown[] }).changes).toEqual([]);

		const store = await server.openStore();
		try {
			const entry = await store.db
				.selectFrom('audit_log')
				.selectAll()
				.where('record_id', '=', importId)
				.executeTakeFirstOrThrow();
			expect(entry).toMatchObject({ action: 'import_sites', actor: 'city', revision: 1 });
			const stored = await store.db
				.selectFrom('registry_imports')
				.selectAll()
				.where('id', '=', importId)
				.executeTakeFirstOrThrow();
			expect(JSON.parse(stored.changes)).toEqual([
				{
					code,
					status: 'changed',
					changes: [{ field: 'condition', old: old.condition, new: condition }]
				}
			]);
		} finally {
			await store.close();
		}
		const verdict = await auditVerify();
		expect(verdict.out).toMatch(/audit chain intact/);
		expect(verdict.code).toBe(0);
	});

	it('refuses to confirm a plan once the registry changed since the dry run', async () => {
		const a = await uploaded(`编号,现状评估\r\n150627-0002,差\r\n`, 'a.csv');
		const b = await uploaded(`编号,现状评估\r\n150627-0003,差\r\n`, 'b.csv');
		const mapping = { code: '编号', condition: '现状评估' };
		const planA = (await server.post(`/api/registry/imports/${a.id}/dry-run`, { mapping }, city))
			.json as RegistryImportReport;
		const planB = (await server.post(`/api/registry/imports/${b.id}/dry-run`, { mapping }, city))
			.json as RegistryImportReport;
		expect(planA.canConfirm && planB.canConfirm).toBe(true);
		expect((await confirm(b.id, planB.plan)).status).toBe(200);
		const before = await server.snapshot();
		expectError(await confirm(a.id, planA.plan), 409);
		expect(await server.snapshot()).toEqual(before);
	});
});

describe('registry import: who may, and what is refused', () => {
	it('county reviewers and surveyors get 403 for every call, and nothing is written', async () => {
		const file = await uploaded(csvOf(validRows(2, 7201)), 'ok.csv');
		const report = await dryRun(file);
		const before = await server.snapshot();
		for (const username of ['reviewer-150627', 'surveyor-150627']) {
			const token = await server.as(username);
			expectError(await upload(csvOf(validRows(2, 7301)), 'x.csv', token), 403);
			expectError(await server.get('/api/registry/imports', token), 403);
			expectError(await server.get(`/api/registry/imports/${file.id}`, token), 403);
			expectError(
				await server.post(
					`/api/registry/imports/${file.id}/dry-run`,
					{ mapping: file.mapping },
					token
				),
				403
			);
			expectError(await confirm(file.id, report.plan, token), 403);
		}
		expectError(
			await server.request('POST', '/api/registry/imports?name=x.csv', { body: 'a' }),
			401
		);
		expect(await server.snapshot()).toEqual(before);
		// the city reviewer still can
		expect((await confirm(file.id, report.plan)).status).toBe(200);
	});

	it('refuses a zip bomb, an oversized file, a wrong type and a bad mapping', async () => {
		const before = await server.snapshot();
		// a valid zip whose one entry inflates to 300 MB of zeros (about 300 KB compressed)
		expectError(await upload(zipBomb(300 * 1024 * 1024), 'bomb.xlsx'), 413);
		const big = new Uint8Array(21 * 1024 * 1024).fill(0x41);
		expectError(await upload(big, 'big.csv'), 413);
		expectError(
			await upload(
				new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 1]),
				'old.xls'
			),
			415
		);
		expectError(
			await upload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'photo.png'),
			415
		);
		expectError(await upload('编号,名称,编号\r\n1,2,3\r\n', 'dup.csv'), 422);
		const file = await uploaded(csvOf(validRows(1, 7401)), 'ok.csv');
		const bad = await server.post(
			`/api/registry/imports/${file.id}/dry-run`,
			{ mapping: { code: '没有这列', name: '编号' } },
			city
		);
		expectError(bad, 400);
		expect((bad.json as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(
			expect.arrayContaining(['mapping.code'])
		);
		expect(await server.snapshot()).toEqual(before);
	});
});

/** A zip with one DEFLATE entry that inflates to `bytes` zeros, its headers telling the truth. */
function zipBomb(bytes: number): Uint8Array {
	const zeros = Buffer.alloc(bytes);
	const data = deflateRawSync(zeros, { level: 9 });
	const name = Buffer.from('xl/worksheets/sheet1.xml');
	const crc = crc32(zeros);
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(20, 4);
	local.writeUInt16LE(8, 8);
	local.writeUInt32LE(crc, 14);
	local.writeUInt32LE(data.length, 18);
	local.writeUInt32LE(bytes, 22);
	local.writeUInt16LE(name.length, 26);
	const central = Buffer.alloc(46);
	central.writeUInt32LE(0x02014b50, 0);
	central.writeUInt16LE(20, 4);
	central.writeUInt16LE(20, 6);
	central.writeUInt16LE(8, 10);
	central.writeUInt32LE(crc, 16);
	central.writeUInt32LE(data.length, 20);
	central.writeUInt32LE(bytes, 24);
	central.writeUInt16LE(name.length, 28);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(1, 8);
	end.writeUInt16LE(1, 10);
	end.writeUInt32LE(central.length + name.length, 12);
	end.writeUInt32LE(local.length + name.length + data.length, 16);
	return new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
}

describe('county boundaries: the bureau replaces the bundled ones', () => {
	const bundled = () =>
		JSON.parse(readFileSync('static/data/ordos-counties.geojson', 'utf8')) as {
			type: 'FeatureCollection';
			features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[];
		};
	const uploadGeo = (json: unknown, token = city) =>
		server.request('POST', '/api/registry/boundaries?name=counties.geojson', {
			token,
			body: new TextEncoder().encode(JSON.stringify(json)),
			headers: { 'content-type': 'application/geo+json' }
		});

	it('refuses a file with problems, listed per feature, and writes nothing', async () => {
		const before = await server.snapshot();
		const fc = bundled();
		fc.features = fc.features.filter((f) => f.properties.code !== '150603');
		(fc.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]![1] = [
			12_150_000, 4_400_000
		];
		const response = await uploadGeo(fc);
		expect(response.status, response.text).toBe(201);
		const report = response.json as CountyImportReport;
		expect(report.canConfirm).toBe(false);
		expect(report.problems.map((p) => p.code)).toEqual(['150602', '150603']);
		expect(report.problems[0]!.message).toMatch(/不在鄂尔多斯范围内/);
		expect(report.problems[1]!.message).toMatch(/没有康巴什区/);
		expectError(
			await server.post(
				`/api/registry/boundaries/${report.id}/confirm`,
				{ plan: report.plan },
				city
			),
			422
		);
		expectError(await uploadGeo(fc, await server.as('reviewer-150627')), 403);
		expect(await server.snapshot()).toEqual(before);
	});

	it('once confirmed, the server checks against them and serves them', async () => {
		const fc = bundled();
		// 伊金霍洛旗 shrunk to a small square around 札萨克镇: sites elsewhere in it now fall outside
		const square = [
			[109.7, 39.25],
			[109.8, 39.25],
			[109.8, 39.35],
			[109.7, 39.35],
			[109.7, 39.25]
		];
		const target = fc.features.find((f) => f.properties.code === '150627')!;
		target.geometry = { type: 'Polygon', coordinates: [square] };
		const response = await uploadGeo(fc);
		const report = response.json as CountyImportReport;
		expect(report.problems).toEqual([]);
		expect(report.counties.find((c) => c.code === '150627')!.sitesOutside).toBeGreaterThan(0);
		const done = await server.post(
			`/api/registry/boundaries/${report.id}/confirm`,
			{ plan: report.plan },
			city
		);
		expect(done.status, done.text).toBe(200);
		const served = await server.get('/api/public/counties.geojson');
		const feature = (served.json as typeof fc).features.find(
			(f) => f.properties.code === '150627'
		)!;
		expect(feature.geometry).toEqual({ type: 'Polygon', coordinates: [square] });

		const row = validRows(9, 7501)[8]!; // a 150627 row at its fixture point (39.30, 109.745): inside
		const far = { ...row, 编号: '150627-7599', 经度: 109.45, 纬度: 39.6 };
		const file = await uploaded(csvOf([row, far]), 'after-boundaries.csv');
		const check = await dryRun(file);
		expect(check.problems.map((p) => `${p.row}|${p.column}`)).toEqual(['3|经度、纬度']);
		expect(check.problems[0]!.message).toMatch(/伊金霍洛旗界外/);
		expect((await auditVerify()).code).toBe(0);
	});
});
