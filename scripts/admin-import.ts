/**
 * `npm run admin -- import <backup.zip> [--as <username>] [--format json]`: a device's backup file into
 * the server's DATA_DIR, as a push from that device (src/lib/server/backup-import.ts). Prints one
 * line per record (accepted / unchanged / conflict / rejected / skipped) and a progress bar on
 * stderr; `--format json` prints the whole report as JSON instead of the table.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SurveyServer } from '../src/lib/server/app.js';
import { asCountyCollection } from '../src/lib/domain/geometry/counties.js';
import {
	importBackupFile,
	type ImportReport,
	type ImportStatus
} from '../src/lib/server/backup-import.js';

const STATUS_LABELS: Record<ImportStatus, string> = {
	accepted: '已接收',
	unchanged: '无变化',
	conflict: '冲突',
	rejected: '拒收',
	skipped: '未导入'
};

/** Width of a string on a terminal: CJK characters take two columns. */
function width(text: string): number {
	let w = 0;
	for (const ch of text)
		w +=
			/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
				ch
			)
				? 2
				: 1;
	return w;
}
const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));

export function formatReport(report: ImportReport): string {
	const lines: string[] = [];
	const f = report.file;
	lines.push(
		`备份文件：设备 ${f.deviceId}，账号 ${f.username ?? '（未登录）'}，导出于 ${f.exportedAt}，${f.counts.records} 条记录、${f.counts.photos} 张照片`
	);
	lines.push(`以账号 ${report.as} 推送`);
	lines.push(
		`照片：新存 ${report.photos.stored} 张，服务器已有 ${report.photos.present} 张${report.photos.failed.length ? `，失败 ${report.photos.failed.length} 张` : ''}`
	);
	for (const p of report.photos.failed) lines.push(`  照片 ${p.sha256}：${p.message}`);
	const rows = report.results.map((r) => [
		`${r.status} ${STATUS_LABELS[r.status]}`,
		r.id,
		r.countyCode,
		r.revision === undefined ? '' : String(r.revision),
		(r.name || '（未命名）').slice(0, 24),
		(r.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('；')
	]);
	const head = ['结果', '记录 id', '旗区', '版本', '名称', '说明'];
	const widths = head.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]!))));
	const line = (cells: string[]) =>
		cells
			.map((cell, c) => (c === cells.length - 1 ? cell : pad(cell, widths[c]!)))
			.join('  ')
			.trimEnd();
	lines.push('');
	lines.push(line(head));
	for (const r of rows) lines.push(line(r));
	lines.push('');
	const c = report.counts;
	lines.push(
		`合计 ${report.results.length} 条：已接收 ${c.accepted}，无变化 ${c.unchanged}，冲突 ${c.conflict}，拒收 ${c.rejected}，未导入 ${c.skipped}`
	);
	return lines.join('\n');
}

export async function importCommand(
	file: string | undefined,
	options: Record<string, string | true>,
	dataDir: string,
	bar: (label: string) => (done: number, total: number) => void,
	databaseUrl?: string
): Promise<void> {
	if (!file)
		throw new Error('import 需要备份文件的路径：npm run admin -- import <备份.zip> [--as 用户名]');
	const countiesPath = fileURLToPath(
		new URL('../static/data/ordos-counties.geojson', import.meta.url)
	);
	const counties = asCountyCollection(JSON.parse(readFileSync(countiesPath, 'utf8')));
	if (!counties.ok) throw new Error(counties.message);
	// No start(): it would sweep the photo store's temporary files, which a running server may
	// be writing right now. The database is shared with it safely (SQLite WAL, busy timeout;
	// PostgreSQL: the data layer's write lock).
	const server = await SurveyServer.open({
		dataDir,
		databaseUrl,
		counties: counties.value,
		seedDemo: false,
		demoPassword: '',
		demoRegistry: () => []
	});
	try {
		const bars = { photos: bar('照片'), records: bar('记录') };
		const report = await importBackupFile(server, resolve(file), {
			...(typeof options.as === 'string' ? { as: options.as } : {}),
			onProgress: (phase, done, total) => bars[phase](done, total)
		});
		console.log(options.format === 'json' ? JSON.stringify(report, null, 2) : formatReport(report));
	} finally {
		await server.close();
	}
}
