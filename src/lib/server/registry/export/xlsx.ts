/**
 * XLSX through exceljs's streaming writer (`stream.xlsx.WorkbookWriter`): each row is committed
 * as it is written, without shared strings, so the workbook never sits in memory. It writes to
 * a temporary file that the response then streams: exceljs gives no back-pressure to its output,
 * and a file keeps memory flat whatever the client's pace.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { COLUMNS } from './columns.js';
import { fileChunks } from './files.js';
import type { ExportContext, Pages } from './types.js';

/** A cell holds at most 32,767 characters (Excel's limit). */
const CELL_MAX = 32_767;

/**
 * A text cell as an inline string. Without shared strings (which would keep every text in
 * memory until the end) exceljs writes a plain string as `t="str"`, a formula's cached result,
 * which GDAL's XLSX driver does not take for text (it then misses the header row); rich text
 * is written as `t="inlineStr"`, the spreadsheet's own form of a text cell.
 */
const inline = (text: string): ExcelJS.CellRichTextValue => ({ richText: [{ text }] });

/** The style of every data cell (none: the workbook's default). */
const PLAIN: Partial<ExcelJS.Style> = {};

/** Bytes of sheet XML at most waiting for the zip before the next page is written. */
const BACKLOG_MAX = 4 * 1024 * 1024;

/**
 * Waits until the zip has taken the sheet's XML written so far, down to BACKLOG_MAX: exceljs's
 * sheet stream (a StreamBuf) hands every write on to the zip's input stream without minding its
 * back-pressure, and deflate is slower than writing rows, so unread XML would pile up in memory.
 */
async function drained(sheet: ExcelJS.Worksheet): Promise<void> {
	// the zip's input is a readable-stream PassThrough: its buffered bytes are in its states
	type State = { length?: number } | undefined;
	type Pipe = { _writableState?: State; _readableState?: State };
	const stream = (sheet as unknown as { stream?: { pipes?: Pipe[] } }).stream;
	const backlog = () =>
		(stream?.pipes ?? []).reduce(
			(n, p) => n + (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0),
			0
		);
	while (backlog() > BACKLOG_MAX) await new Promise((r) => setTimeout(r, 5));
}

export async function* xlsx(pages: Pages, context: ExportContext): AsyncGenerator<Uint8Array> {
	const file = join(context.tmpDir, 'registry.xlsx');
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		filename: file,
		useSharedStrings: false,
		useStyles: true,
		// fast deflate: the sheet's XML is written faster than the default level compresses it,
		// and what the zip has not compressed yet waits in memory
		zip: { zlib: { level: 1 } }
	});
	workbook.creator = '鄂尔多斯市第四次全国文物普查';
	const sheet = workbook.addWorksheet(context.layer.slice(0, 31), {
		views: [{ state: 'frozen', ySplit: 1 }]
	});
	sheet.columns = COLUMNS.map((c) => ({
		header: c.header,
		key: c.key,
		width: c.key === 'description' || c.key === 'boundary' ? 40 : c.kind === 'number' ? 12 : 16
	}));
	const header = sheet.getRow(1);
	COLUMNS.forEach((c, i) => (header.getCell(i + 1).value = inline(c.header)));
	header.font = { bold: true };
	header.commit();
	for await (const page of pages) {
		await drained(sheet);
		for (const e of page) {
			const row = sheet.addRow(
				COLUMNS.map((c) => {
					const value = c.value(e);
					return typeof value === 'string' ? inline(value.slice(0, CELL_MAX)) : value;
				})
			);
			// one style object for every data cell: exceljs gives each cell a fresh `{}` and then
			// serializes it to find its style id (a third of the time); a shared one it looks up
			row.eachCell((cell) => (cell.style = PLAIN));
			row.commit();
		}
	}
	sheet.commit();
	await workbook.commit();
	yield* fileChunks(file);
}
