/**
 * Reading an uploaded registry spreadsheet (issue 13 point 1) into a header row and rows of cell
 * texts, under the bounded-upload rules of issue 10: the upload is streamed to disk with a size
 * cap, the rows and columns are capped, and an XLSX (a zip) has its directory checked and every
 * entry inflated once with a byte counter before exceljs reads it, so a zip bomb is refused
 * before it can fill memory. CSV is UTF-8 (with or without BOM) when its bytes are valid UTF-8,
 * and GB18030 (the superset of GBK that Excel and WPS write on Chinese Windows) otherwise.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { BlobReader, ZipReader } from '@zip.js/zip.js';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { ImportSheet } from '../../domain/registry/site-import.js';

/** The largest file accepted (a registry of 100,000 sites as XLSX is about 15 MB). */
export const REGISTRY_IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** At most this many data rows. */
export const REGISTRY_IMPORT_MAX_ROWS = 100_000;
/** At most this many columns. */
export const REGISTRY_IMPORT_MAX_COLUMNS = 100;
/** What the entries of an XLSX may inflate to, together. */
export const XLSX_MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** How much larger than its compressed bytes an entry over 1 MB may inflate. */
export const XLSX_MAX_RATIO = 200;
/** At most this many entries in an XLSX. */
export const XLSX_MAX_ENTRIES = 2000;
/** A cell's text is cut here (no registry field is longer than 20,000 characters). */
const CELL_MAX_CHARS = 50_000;

export type SheetFormat = 'xlsx' | 'csv';

/** The file cannot be read as a registry sheet; `status` is the HTTP answer it deserves. */
export class SheetError extends Error {
	constructor(
		readonly status: 400 | 413 | 415 | 422,
		message: string
	) {
		super(message);
		this.name = 'SheetError';
	}
}

/**
 * Streams `body` to `path` (a temporary file renamed into place), refusing it past `maxBytes`
 * (413) while reading on, so the client still gets to read the answer. Resolves to its size and
 * SHA-256.
 */
export async function saveUpload(
	body: AsyncIterable<Uint8Array> | null,
	path: string,
	maxBytes = REGISTRY_IMPORT_MAX_BYTES
): Promise<{ size: number; sha256: string }> {
	const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
	const file = await open(temp, 'w');
	const hash = createHash('sha256');
	let size = 0;
	let over = false;
	try {
		try {
			for await (const chunk of body ?? []) {
				size += chunk.byteLength;
				if (over || size > maxBytes) {
					over = true;
					continue;
				}
				hash.update(chunk);
				await file.write(chunk);
			}
		} catch (error) {
			// adapter-node cut the body at BODY_SIZE_LIMIT
			if (!over && size <= maxBytes) throw error;
			over = true;
		}
		if (over) {
			throw new SheetError(
				413,
				`文件超过 ${maxBytes / 1024 / 1024} MB 上限：请分成几个文件导入，或删去不需要的列`
			);
		}
		if (size === 0) throw new SheetError(400, '文件是空的：请选择名录的 XLSX 或 CSV 文件');
		await file.sync();
		await file.close();
		await rename(temp, path);
		return { size, sha256: hash.digest('hex') };
	} catch (error) {
		await file.close().catch(() => undefined);
		await rm(temp, { force: true });
		throw error;
	}
}

/** Which format the bytes are: a zip is XLSX, an old binary Excel file or other binary is refused. */
export function sniffFormat(head: Uint8Array, fileName: string): SheetFormat {
	const hex = Buffer.from(head.subarray(0, 8)).toString('hex');
	if (hex.startsWith('504b0304')) return 'xlsx';
	if (hex.startsWith('d0cf11e0a1b11ae1')) {
		throw new SheetError(
			415,
			'这是旧版 Excel（.xls）或 WPS 的 .et 文件：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再导入'
		);
	}
	if (/\.xlsx$/i.test(fileName)) {
		throw new SheetError(415, '文件名是 .xlsx，内容却不是 XLSX（zip）：请重新导出');
	}
	// text: no NUL byte in the first 8 KB (UTF-16 files have them; so does every binary format)
	if (head.subarray(0, 8192).includes(0)) {
		throw new SheetError(
			415,
			'文件不是 XLSX 或 CSV：请导出为 .xlsx，或 CSV（UTF-8 或 GBK 编码；不支持 UTF-16 的“Unicode 文本”）'
		);
	}
	return 'csv';
}

/** Reads the uploaded file at `path` as a sheet. */
export async function readSheet(
	path: string,
	fileName: string
): Promise<ImportSheet & { format: SheetFormat; encoding?: string }> {
	const bytes = await readFile(path);
	const format = sniffFormat(bytes, fileName);
	if (format === 'xlsx') return { format, ...(await readXlsx(bytes)) };
	const { text, encoding } = decodeCsv(bytes);
	return { format, encoding, ...readCsv(text) };
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM dropped), GB18030 otherwise. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'UTF-8' | 'GB18030' } {
	try {
		const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
		return { text, encoding: 'UTF-8' };
	} catch {
		return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'GB18030' };
	}
}

function columnName(index: number): string {
	let name = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}

/**
 * The header row and the data rows: the first row with any text is the header; rows with no
 * text are skipped (their numbers are kept). Refuses a file with no header or no data, more rows
 * or columns than allowed, or a header twice (a mapping names columns by header).
 */
function sheetOf(rows: Iterable<{ row: number; cells: string[] }>, what: string): ImportSheet {
	let headers: string[] | undefined;
	const data: { row: number; cells: string[] }[] = [];
	for (const { row, cells } of rows) {
		if (!cells.some((c) => c.trim() !== '')) continue;
		if (cells.length > REGISTRY_IMPORT_MAX_COLUMNS) {
			throw new SheetError(
				413,
				`第 ${row} 行有 ${cells.length} 列，超过 ${REGISTRY_IMPORT_MAX_COLUMNS} 列上限：请删去不需要的列`
			);
		}
		if (!headers) {
			headers = cells.map((c, i) => c.trim() || `第 ${columnName(i)} 列`);
			continue;
		}
		if (data.length >= REGISTRY_IMPORT_MAX_ROWS) {
			throw new SheetError(
				413,
				`${what}超过 ${REGISTRY_IMPORT_MAX_ROWS} 行上限：请分成几个文件导入`
			);
		}
		data.push({ row, cells: cells.map((c) => c.slice(0, CELL_MAX_CHARS)) });
	}
	if (!headers)
		throw new SheetError(422, `${what}中没有内容：第一行应为表头（编号、名称、所在旗区……）`);
	const seen = new Map<string, number>();
	for (const [i, header] of headers.entries()) {
		const first = seen.get(header);
		if (first !== undefined) {
			throw new SheetError(
				422,
				`表头“${header}”出现了两次（第 ${columnName(first)} 列和第 ${columnName(i)} 列）：请改名，使每列表头不同`
			);
		}
		seen.set(header, i);
	}
	for (const row of data) while (row.cells.length < headers.length) row.cells.push('');
	if (data.length === 0) throw new SheetError(422, `${what}只有表头，没有数据行`);
	return { headers, rows: data };
}

export function readCsv(text: string): ImportSheet {
	const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
	const quote = parsed.errors.find((e) => e.type === 'Quotes');
	if (quote) {
		throw new SheetError(
			422,
			`CSV 第 ${(quote.row ?? 0) + 1} 行的引号没有配对：请在 Excel/WPS 中打开后重新另存为 CSV`
		);
	}
	return sheetOf(
		parsed.data.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => String(c ?? '')) })),
		'CSV 文件'
	);
}

/** Refuses a zip whose entries would inflate past the caps: checked, then counted while inflated. */
async function checkZip(bytes: Uint8Array): Promise<void> {
	const reader = new ZipReader(new BlobReader(new Blob([bytes as Uint8Array<ArrayBuffer>])), {
		useWebWorkers: false,
		checkSignature: true
	});
	const names = new Set<string>();
	let declared = 0;
	let inflated = 0;
	try {
		let count = 0;
		for await (const entry of reader.getEntriesGenerator()) {
			if (++count > XLSX_MAX_ENTRIES) {
				throw new SheetError(422, `XLSX 文件的条目超过 ${XLSX_MAX_ENTRIES} 个：不是正常的表格文件`);
			}
			if (names.has(entry.filename)) {
				throw new SheetError(422, 'XLSX 文件中有重复的条目：文件已损坏或被改动，请重新导出');
			}
			names.add(entry.filename);
			if (entry.directory) continue;
			if (entry.encrypted) {
				throw new SheetError(422, 'XLSX 文件有密码保护：请在 Excel/WPS 中取消密码后另存再导入');
			}
			declared += entry.uncompressedSize;
			const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
			if (
				declared > XLSX_MAX_INFLATED_BYTES ||
				(entry.uncompressedSize > 1024 * 1024 && ratio > XLSX_MAX_RATIO)
			) {
				throw bomb();
			}
			const limit = entry.uncompressedSize;
			let size = 0;
			await entry.getData!(
				new WritableStream<Uint8Array>({
					write(chunk) {
						size += chunk.byteLength;
						inflated += chunk.byteLength;
						if (size > limit || inflated > XLSX_MAX_INFLATED_BYTES) throw bomb();
					}
				})
			);
		}
	} catch (error) {
		if (error instanceof SheetError) throw error;
		const cause = (error as Error)?.message ?? '';
		if (/解压后|zip bomb/.test(cause)) throw bomb();
		throw new SheetError(
			422,
			`XLSX 文件无法读取（${cause.slice(0, 200)}）：请在 Excel/WPS 中重新另存为 .xlsx`
		);
	} finally {
		await reader.close().catch(() => undefined);
	}
}

const bomb = () =>
	new SheetError(
		413,
		`XLSX 文件解压后超过 ${XLSX_MAX_INFLATED_BYTES / 1024 / 1024} MB 或压缩比异常（疑似“压缩炸弹”）：拒绝读取。请导出只含名录的表格`
	);

/** A cell's value as the text the sheet shows (numbers as JS writes them, dates as YYYY-MM-DD). */
function cellText(value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if ('richText' in value) return value.richText.map((r) => r.text).join('');
	if ('formula' in value || 'sharedFormula' in value) {
		return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
	}
	if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? '');
	if ('error' in value) return '';
	return '';
}

export async function readXlsx(bytes: Uint8Array): Promise<ImportSheet> {
	await checkZip(bytes);
	const workbook = new ExcelJS.Workbook();
	try {
		await workbook.xlsx.load(Buffer.from(bytes) as never);
	} catch (error) {
		throw new SheetError(
			422,
			`XLSX 文件无法读取（${((error as Error)?.message ?? '').slice(0, 200)}）：请在 Excel/WPS 中重新另存为 .xlsx`
		);
	}
	const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
	if (!sheet) throw new SheetError(422, 'XLSX 文件中没有内容：名录应在第一个工作表，第一行为表头');
	if (sheet.rowCount > REGISTRY_IMPORT_MAX_ROWS + 1000) {
		throw new SheetError(413, `工作表超过 ${REGISTRY_IMPORT_MAX_ROWS} 行上限：请分成几个文件导入`);
	}
	const rows: { row: number; cells: string[] }[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, number) => {
		const cells: string[] = [];
		const count = Math.min(row.cellCount, REGISTRY_IMPORT_MAX_COLUMNS + 1);
		for (let c = 1; c <= count; c++) cells.push(cellText(row.getCell(c).value));
		while (cells.length > 0 && cells.at(-1) === '') cells.pop();
		rows.push({ row: number, cells });
	});
	return sheetOf(rows, `工作表“${sheet.name}”`);
}
