/**
 * XLSX through exceljs's streaming writer (`stream.xlsx.WorkbookWriter`): each row is committed
 * as it is written, without shared strings, so the workbook never sits in memory. It writes to
 * a temporary file that the response then streams: exceljs gives no back-pressure to its output,
 * and a file keeps memory flat whatever the client's pace.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { COLUMNS } from './columns.js';
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

export async function* xlsx(pages: Pages, context: ExportContext): AsyncGenerator<Uint8Array> {
	const file = join(context.tmpDir, 'registry.xlsx');
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		filename: file,
		useSharedStrings: false,
		useStyles: true
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
		for (const e of page) {
			sheet
				.addRow(
					COLUMNS.map((c) => {
						const value = c.value(e);
						return typeof value === 'string' ? inline(value.slice(0, CELL_MAX)) : value;
					})
				)
				.commit();
		}
	}
	sheet.commit();
	await workbook.commit();
	for await (const chunk of createReadStream(file)) yield chunk as Buffer;
}
