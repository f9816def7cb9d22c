/**
 * The quarterly progress report as an XLSX workbook (issue 14 point 3), in the layout a bureau
 * sends upward: 进度汇总 (the table with its title, reporting unit and date, two heading rows with
 * the merged groups 本季度 / 累计, one row per county, the 合计 row, the signature line), 分类统计
 * (records received in the quarter by category × county) and 说明 (what each column counts).
 *
 * Every sum is a formula with its value cached beside it, so a viewer that does not recalculate
 * (WPS and Excel in protected view, previewers) shows the figures too. The workbook is a few
 * dozen rows: it is built in memory (the registry's streaming writer is for 10^5 rows).
 */
import ExcelJS from 'exceljs';
import { countyName } from '../../domain/codelists/index.js';
import { chinaDate } from '../../domain/records/drafts.js';
import {
	COLUMN_GROUP,
	QUARTERLY_COLUMNS,
	QUARTERLY_GROUPS,
	recheckRate,
	type QuarterlyColumn,
	type QuarterlyReport,
	type QuarterlyRow
} from '../../domain/quarterly.js';
import { m } from '../../paraglide/messages.js';
import {
	columnDefinition,
	columnHeading,
	groupHeading,
	periodText as periodIn,
	quarterName,
	reportDay,
	reportingUnit as unitIn,
	reportTitle as titleIn
} from '../../review/quarterly-labels.js';
import { chinaDateTime } from '../../review/format.js';

const ZH = { locale: 'zh-CN' } as const;
const reportTitle = (report: QuarterlyReport) => titleIn(report.quarter, 'zh-CN');
const reportingUnit = (counties: readonly string[]) => unitIn(counties, 'zh-CN');
const periodText = (report: QuarterlyReport) => periodIn(report, 'zh-CN');

/** The column letter of 1-based column `index` (A, B, …, Z, AA, …). */
export function columnLetter(index: number): string {
	let out = '';
	for (let n = index; n > 0; n = Math.floor((n - 1) / 26))
		out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
	return out;
}

const BODY_FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 10 };
const BOLD_FONT: Partial<ExcelJS.Font> = { ...BODY_FONT, bold: true };
const TITLE_FONT: Partial<ExcelJS.Font> = { name: '黑体', size: 16, bold: true };
const THIN: Partial<ExcelJS.Borders> = {
	top: { style: 'thin' },
	left: { style: 'thin' },
	bottom: { style: 'thin' },
	right: { style: 'thin' }
};
const HEAD_FILL: ExcelJS.Fill = {
	type: 'pattern',
	pattern: 'solid',
	fgColor: { argb: 'FFEFEFEF' }
};
const CENTER: Partial<ExcelJS.Alignment> = {
	horizontal: 'center',
	vertical: 'middle',
	wrapText: true
};
const PAGE: Partial<ExcelJS.PageSetup> = {
	paperSize: 9, // A4
	orientation: 'landscape',
	fitToPage: true,
	fitToWidth: 1,
	fitToHeight: 0,
	horizontalCentered: true,
	margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 }
};
const FOOTER = '&C第 &P 页，共 &N 页';

/** The sheets' names, in order. */
export const QUARTERLY_SHEETS = () =>
	[
		m.quarter_sheet_summary({}, ZH),
		m.quarter_sheet_categories({}, ZH),
		m.quarter_sheet_notes({}, ZH)
	] as const;

/** The download's Chinese file name and its ASCII stand-in. */
export function quarterlyFileName(report: QuarterlyReport): { name: string; ascii: string } {
	const one = report.counties.length === 1 ? report.counties[0]! : '';
	return {
		name: `${m.quarter_file_name({ quarter: quarterName(report.quarter, 'zh-CN') }, ZH)}${one ? `-${countyName(one)}` : ''}.xlsx`,
		ascii: `ordos-survey-progress-${report.quarter}${one ? `-${one}` : ''}.xlsx`
	};
}

/** A heading with its unit on a line of its own (复查文物\n（处）): the narrow columns break there. */
const twoLines = (heading: string) => heading.replace(/(.)（/, '$1\n（');

/** The value of a column in a row: a figure, or the rate (null without registered sites). */
function valueOf(row: QuarterlyRow, column: QuarterlyColumn): number | null {
	return column === 'recheckRate' ? recheckRate(row) : row[column];
}

function styleRange(
	sheet: ExcelJS.Worksheet,
	top: number,
	left: number,
	bottom: number,
	right: number,
	style: Partial<ExcelJS.Style>
) {
	for (let r = top; r <= bottom; r++)
		for (let c = left; c <= right; c++) Object.assign(sheet.getCell(r, c), style);
}

function summarySheet(workbook: ExcelJS.Workbook, report: QuarterlyReport) {
	const columns = QUARTERLY_COLUMNS;
	const width = columns.length + 1;
	const last = columnLetter(width);
	const sheet = workbook.addWorksheet(QUARTERLY_SHEETS()[0], {
		views: [{ state: 'frozen', xSplit: 1, ySplit: 4 }],
		pageSetup: { ...PAGE, printTitlesRow: '3:4' },
		headerFooter: { oddFooter: FOOTER }
	});
	sheet.getColumn(1).width = 11;
	columns.forEach((c, i) => (sheet.getColumn(i + 2).width = c === 'recheckRate' ? 9 : 8.5));

	// title, reporting unit, date
	sheet.mergeCells(`A1:${last}1`);
	Object.assign(sheet.getCell('A1'), {
		value: reportTitle(report),
		font: TITLE_FONT,
		alignment: { horizontal: 'center', vertical: 'middle' }
	});
	sheet.getRow(1).height = 34;
	const third = Math.floor(width / 3);
	sheet.mergeCells(1 + 1, 1, 2, third);
	sheet.mergeCells(2, third + 1, 2, 2 * third);
	sheet.mergeCells(2, 2 * third + 1, 2, width);
	const day = reportDay(chinaDate(report.generatedAt), 'zh-CN');
	for (const [col, value, horizontal] of [
		[1, m.quarter_unit({ unit: reportingUnit(report.counties) }, ZH), 'left'],
		[third + 1, m.quarter_units({}, ZH), 'center'],
		[2 * third + 1, m.quarter_date({ date: day }, ZH), 'right']
	] as const)
		Object.assign(sheet.getCell(2, col), {
			value,
			font: BODY_FONT,
			alignment: { horizontal, vertical: 'middle' }
		});
	sheet.getRow(2).height = 22;

	// the two heading rows: the county and a group of one column span both; the groups merge
	const head = { font: BOLD_FONT, alignment: CENTER, border: THIN, fill: HEAD_FILL };
	sheet.mergeCells(3, 1, 4, 1);
	sheet.getCell(3, 1).value = m.quarter_col_county({}, ZH);
	let col = 2;
	for (const { group, columns: members } of QUARTERLY_GROUPS) {
		const end = col + members.length - 1;
		if (members.length === 1) {
			sheet.mergeCells(3, col, 4, col);
			sheet.getCell(3, col).value = twoLines(columnHeading(members[0]!, 'zh-CN'));
		} else {
			sheet.mergeCells(3, col, 3, end);
			sheet.getCell(3, col).value = groupHeading(group, 'zh-CN');
			members.forEach(
				(c, i) => (sheet.getCell(4, col + i).value = twoLines(columnHeading(c, 'zh-CN')))
			);
		}
		col = end + 1;
	}
	styleRange(sheet, 3, 1, 4, width, head);
	sheet.getRow(3).height = 22;
	sheet.getRow(4).height = 46;

	// one row per county, then 合计: sums of the rows above, their values cached
	const first = 5;
	report.rows.forEach((row, i) => {
		const r = first + i;
		sheet.getCell(r, 1).value = countyName(row.county);
		columns.forEach((column, j) => {
			const value = valueOf(row, column);
			sheet.getCell(r, j + 2).value = value === null ? '—' : value;
		});
	});
	const totalRow = first + report.rows.length;
	const lastData = totalRow - 1;
	sheet.getCell(totalRow, 1).value = m.quarter_total({}, ZH);
	const sitesLetter = columnLetter(2);
	const toDateLetter = columnLetter(columns.indexOf('recheckedToDate') + 2);
	columns.forEach((column, j) => {
		const letter = columnLetter(j + 2);
		const cell = sheet.getCell(totalRow, j + 2);
		if (column === 'recheckRate') {
			const rate = recheckRate(report.total);
			cell.value = {
				formula: `IF(${sitesLetter}${totalRow}>0,${toDateLetter}${totalRow}/${sitesLetter}${totalRow},"—")`,
				result: rate === null ? '—' : rate
			};
		} else
			cell.value =
				report.rows.length > 0
					? { formula: `SUM(${letter}${first}:${letter}${lastData})`, result: report.total[column] }
					: 0;
	});
	styleRange(sheet, first, 1, totalRow, width, {
		font: BODY_FONT,
		border: THIN,
		alignment: { horizontal: 'right', vertical: 'middle' }
	});
	styleRange(sheet, first, 1, totalRow, 1, {
		alignment: { horizontal: 'center', vertical: 'middle' }
	});
	styleRange(sheet, totalRow, 1, totalRow, width, { font: BOLD_FONT, fill: HEAD_FILL });
	const rateCol = columns.indexOf('recheckRate') + 2;
	for (let r = first; r <= totalRow; r++) {
		sheet.getCell(r, rateCol).numFmt = '0.0%';
		sheet.getRow(r).height = 22;
	}

	// signatures, then the period and where the definitions are
	const signRow = totalRow + 2;
	const parts = [
		m.quarter_sign_filler({}, ZH),
		m.quarter_sign_reviewer({}, ZH),
		m.quarter_sign_phone({}, ZH)
	];
	// each a label over two columns, then a line to sign or write on
	parts.forEach((text, i) => {
		const left = i * third + 1;
		const right = i === 2 ? width : (i + 1) * third;
		sheet.mergeCells(signRow, left, signRow, left + 1);
		Object.assign(sheet.getCell(signRow, left), {
			value: text,
			font: BODY_FONT,
			alignment: { horizontal: 'right', vertical: 'bottom' }
		});
		sheet.mergeCells(signRow, left + 2, signRow, right - 1);
		styleRange(sheet, signRow, left + 2, signRow, right - 1, {
			border: { bottom: { style: 'thin' } }
		});
	});
	sheet.getRow(signRow).height = 26;
	const noteRow = signRow + 1;
	sheet.mergeCells(noteRow, 1, noteRow, width);
	Object.assign(sheet.getCell(noteRow, 1), {
		value: `${periodText(report)}\u3000${m.quarter_note_see_sheet({}, ZH)}`,
		font: { ...BODY_FONT, size: 9 },
		alignment: { horizontal: 'left', vertical: 'middle', wrapText: true }
	});
	sheet.getRow(noteRow).height = 30;
	sheet.pageSetup.printArea = `A1:${last}${noteRow}`;
}

function categorySheet(workbook: ExcelJS.Workbook, report: QuarterlyReport) {
	const counties = report.counties;
	const width = counties.length + 2;
	const last = columnLetter(width);
	const sheet = workbook.addWorksheet(QUARTERLY_SHEETS()[1], {
		views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }],
		pageSetup: { ...PAGE, printTitlesRow: '3:3' },
		headerFooter: { oddFooter: FOOTER }
	});
	sheet.getColumn(1).width = 22;
	for (let c = 2; c <= width; c++) sheet.getColumn(c).width = 10;
	sheet.mergeCells(`A1:${last}1`);
	Object.assign(sheet.getCell('A1'), {
		value: m.quarter_categories_title({ quarter: quarterName(report.quarter, 'zh-CN') }, ZH),
		font: { ...TITLE_FONT, size: 14 },
		alignment: { horizontal: 'center', vertical: 'middle' }
	});
	sheet.getRow(1).height = 30;
	sheet.mergeCells(`A2:${last}2`);
	Object.assign(sheet.getCell('A2'), {
		value: periodText(report),
		font: BODY_FONT,
		alignment: { horizontal: 'left', vertical: 'middle', wrapText: true }
	});
	sheet.getRow(2).height = 22;
	const header = [
		m.quarter_col_category({}, ZH),
		...counties.map(countyName),
		m.quarter_total({}, ZH)
	];
	header.forEach((text, i) => (sheet.getCell(3, i + 1).value = text));
	styleRange(sheet, 3, 1, 3, width, {
		font: BOLD_FONT,
		alignment: CENTER,
		border: THIN,
		fill: HEAD_FILL
	});
	sheet.getRow(3).height = 30;
	const first = 4;
	const lastCounty = columnLetter(width - 1);
	report.categories.forEach((row, i) => {
		const r = first + i;
		sheet.getCell(r, 1).value = row.term || m.quarter_unfilled({}, ZH);
		counties.forEach((c, j) => (sheet.getCell(r, j + 2).value = row.byCounty[c] ?? 0));
		sheet.getCell(r, width).value = { formula: `SUM(B${r}:${lastCounty}${r})`, result: row.total };
		sheet.getRow(r).height = 20;
	});
	const totalRow = first + report.categories.length;
	sheet.getCell(totalRow, 1).value = m.quarter_total({}, ZH);
	sheet.getRow(totalRow).height = 20;
	for (let c = 2; c <= width; c++) {
		const letter = columnLetter(c);
		const result =
			c === width
				? report.categories.reduce((a, row) => a + row.total, 0)
				: report.categories.reduce((a, row) => a + (row.byCounty[counties[c - 2]!] ?? 0), 0);
		sheet.getCell(totalRow, c).value = {
			formula: `SUM(${letter}${first}:${letter}${totalRow - 1})`,
			result
		};
	}
	styleRange(sheet, first, 1, totalRow, width, {
		font: BODY_FONT,
		border: THIN,
		alignment: { horizontal: 'right', vertical: 'middle' }
	});
	styleRange(sheet, first, 1, totalRow, 1, {
		alignment: { horizontal: 'left', vertical: 'middle' }
	});
	styleRange(sheet, totalRow, 1, totalRow, width, { font: BOLD_FONT, fill: HEAD_FILL });
	styleRange(sheet, first, width, totalRow, width, { font: BOLD_FONT });
}

function notesSheet(workbook: ExcelJS.Workbook, report: QuarterlyReport) {
	const sheet = workbook.addWorksheet(QUARTERLY_SHEETS()[2], {
		pageSetup: { ...PAGE, orientation: 'portrait' },
		headerFooter: { oddFooter: FOOTER }
	});
	sheet.getColumn(1).width = 36;
	sheet.getColumn(2).width = 80;
	const rows: [string, string][] = [
		[m.quarter_notes_item({}, ZH), m.quarter_notes_text({}, ZH)],
		[m.quarter_notes_report({}, ZH), reportTitle(report)],
		[m.quarter_notes_period({}, ZH), periodText(report)],
		[
			m.quarter_notes_generated({}, ZH),
			`${chinaDateTime(report.generatedAt)}（${report.generatedAt}）`
		],
		[m.quarter_notes_scope({}, ZH), report.counties.map(countyName).join('、')],
		[m.quarter_notes_system({}, ZH), m.quarter_system_name({}, ZH)],
		[m.quarter_notes_times({}, ZH), m.quarter_def_times({}, ZH)]
	];
	for (const column of QUARTERLY_COLUMNS) {
		const group = COLUMN_GROUP[column];
		const heading = columnHeading(column, 'zh-CN');
		rows.push([
			group === 'registry' ? heading : `${groupHeading(group, 'zh-CN')} · ${heading}`,
			columnDefinition(column, 'zh-CN')
		]);
	}
	rows.push([m.quarter_sheet_categories({}, ZH), m.quarter_def_categories({}, ZH)]);
	rows.forEach(([item, text], i) => {
		const row = sheet.getRow(i + 1);
		row.getCell(1).value = item;
		row.getCell(2).value = text;
		for (const c of [1, 2])
			Object.assign(row.getCell(c), {
				font: i === 0 ? BOLD_FONT : BODY_FONT,
				border: THIN,
				alignment: { vertical: 'middle', wrapText: true },
				...(i === 0 ? { fill: HEAD_FILL } : {})
			});
		// the height of the wrapped text (about 38 Chinese characters a line at this width): not
		// every viewer fits a row to its text on opening
		row.height = Math.max(1, Math.ceil([...text].length / 38)) * 15 + 6;
	});
}

/** The workbook's bytes. */
export async function quarterlyXlsx(report: QuarterlyReport): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = m.quarter_system_name({}, ZH);
	workbook.created = new Date(report.generatedAt);
	workbook.title = reportTitle(report);
	summarySheet(workbook, report);
	categorySheet(workbook, report);
	notesSheet(workbook, report);
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
