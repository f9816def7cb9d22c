import {
	CATEGORIES,
	CONDITIONS,
	COUNTIES,
	ERAS,
	ERA_GROUPS,
	OPEN_STATUS,
	OWNERSHIP,
	PROTECTION_LEVELS,
	PROTECTION_LEVEL_LOCAL,
	PROTECTION_LEVEL_SHORT,
	SUBCATEGORIES,
	THREATS,
	USAGE,
	categoryOfSubcategory,
	eraGroupsForCategory,
	subcategoriesOf,
	type CountyCode
} from '../codelists/index.js';
import { countyFeature, type CountyCollection } from '../geometry/counties.js';
import { parseDms } from '../geometry/dms.js';
import { containsPoint, distanceOutsideM, validatePolygonal } from '../geometry/measure.js';
import { describeCounty, formatDistance } from '../qc/describe.js';
import { BoundarySchema, parseWith, type Boundary } from '../schemas/common.js';
import { RegisteredSiteSchema, type RegisteredSite } from '../schemas/site.js';
import { SITE_CODE_PATTERN } from '../schemas/survey-record.js';

/*
 * Importing the registered sites (登记的不可移动文物, issue 13 point 1) from a spreadsheet: the
 * pure part shared by the server's upload and the demo seed. A file is read elsewhere into a
 * header row and rows of cell texts; here the reviewer's column mapping turns each row into a
 * RegisteredSite, every problem is reported with the row number the spreadsheet shows, the
 * file's column header and a Chinese message saying how to fix it, and the sites are compared
 * with the registry (new / changed / unchanged, per field old → new).
 *
 * Rules (contract §3, *Registry import*):
 * - A row MUST name its site by `code`; a code MUST appear once in the file.
 * - A new site MUST fill every field of IMPORT_REQUIRED; other fields may be blank (text ''
 *   and lists []).
 * - A site the registry holds keeps the value of every field the mapping leaves out; a mapped
 *   column that is blank clears an optional field and is an error for a required one.
 * - A site marked `demo` (generated data) stays marked; only the demo seed marks new ones.
 * - One problem is reported per defect: a check that depends on another field (a subcategory on
 *   its category, a location on its county) is skipped when that field is already wrong.
 */

/** The fields a column can be mapped to, in the order the mapping step shows them. */
export const IMPORT_FIELDS = [
	'code',
	'name',
	'countyCode',
	'township',
	'village',
	'address',
	'category',
	'subcategory',
	'era',
	'eraGroup',
	'protectionLevel',
	'ownership',
	'usage',
	'condition',
	'openStatus',
	'threats',
	'areaM2',
	'lon',
	'lat',
	'altitude',
	'boundary',
	'description'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** What a new site cannot do without (`eraGroup` may come from a known `era` instead). */
export const IMPORT_REQUIRED: readonly ImportField[] = [
	'code',
	'name',
	'countyCode',
	'category',
	'subcategory',
	'eraGroup',
	'protectionLevel',
	'ownership',
	'condition',
	'openStatus',
	'areaM2',
	'lon',
	'lat'
];

/** Each field's Chinese name (the census form's) and the headers a file may give it. */
export const IMPORT_FIELD_INFO: Record<ImportField, { label: string; headers: readonly string[] }> =
	{
		code: {
			label: '编号',
			headers: ['编号', '文物编号', '登记编号', '名录编号', '代码', '文物代码']
		},
		name: { label: '名称', headers: ['名称', '文物名称', '遗址名称', '不可移动文物名称'] },
		countyCode: {
			label: '所在旗区',
			headers: [
				'所在旗区',
				'旗区',
				'旗县区',
				'所在旗县区',
				'所在县区',
				'县区',
				'区县',
				'所在区县',
				'旗区代码',
				'行政区划代码'
			]
		},
		township: {
			label: '乡镇',
			headers: ['乡镇', '所在乡镇', '乡镇（街道）', '乡镇街道', '苏木乡镇', '乡镇苏木', '街道']
		},
		village: {
			label: '村（社区）',
			headers: ['村', '村（社区）', '所在村', '村社区', '嘎查村', '村委会', '行政村']
		},
		address: { label: '地址', headers: ['地址', '详细地址', '具体位置', '位置', '地理位置'] },
		category: { label: '类别', headers: ['类别', '文物类别', '类型', '文物类型', '大类'] },
		subcategory: {
			label: '细类',
			headers: ['细类', '子类', '类别细分', '二级类别', '小类', '细分类别']
		},
		era: { label: '年代', headers: ['年代', '时代', '文物年代'] },
		eraGroup: { label: '统计年代', headers: ['统计年代', '年代分组'] },
		protectionLevel: {
			label: '级别',
			headers: ['级别', '保护级别', '文物级别', '公布级别', '文物保护级别']
		},
		ownership: { label: '所有权', headers: ['所有权', '所有权性质', '产权'] },
		usage: { label: '使用情况', headers: ['使用情况', '使用用途', '用途', '使用状况'] },
		condition: {
			label: '现状评估',
			headers: ['现状评估', '现状', '保存现状', '保存状况', '保存状态']
		},
		openStatus: { label: '开放状况', headers: ['开放状况', '是否开放', '开放情况'] },
		threats: {
			label: '影响因素',
			headers: ['影响因素', '主要影响因素', '病害', '影响因素（多选）']
		},
		areaM2: {
			label: '面积（平方米）',
			headers: ['面积（平方米）', '面积', '占地面积', '面积（㎡）', '面积（m2）', '面积（m²）']
		},
		lon: { label: '经度', headers: ['经度', '东经', '中心点经度', '经度（东经）'] },
		lat: { label: '纬度', headers: ['纬度', '北纬', '中心点纬度', '纬度（北纬）'] },
		altitude: { label: '海拔（米）', headers: ['海拔', '海拔（米）', '高程', '海拔高度'] },
		boundary: { label: '本体边界', headers: ['本体边界', '边界', '范围', '边界坐标'] },
		description: { label: '简介', headers: ['简介', '描述', '说明', '文物简介', '概况'] }
	};

/** Column mapping: field → the header of the file's column that holds it. */
export type ColumnMapping = Partial<Record<ImportField, string>>;

/** The file as read: its header row and each row's cell texts, with the row number shown. */
export type ImportSheet = {
	headers: readonly string[];
	rows: readonly { row: number; cells: readonly string[] }[];
};

/** One line of the validation report. */
export type ImportProblem = {
	/** the row number the spreadsheet shows (the header row is 1 in a plain file) */
	row: number;
	/** the file's column header ('' for the row as a whole) */
	column: string;
	field: ImportField | '';
	message: string;
};

export type FieldChange = { field: string; old: unknown; new: unknown };

export type PlannedSite = {
	row: number;
	code: string;
	name: string;
	status: 'new' | 'changed' | 'unchanged';
	/** the site as the import would store it */
	site: RegisteredSite;
	/** the fields that differ from the registry (every filled-in field of a new site) */
	changes: FieldChange[];
};

export type SiteImportPlan = {
	problems: ImportProblem[];
	/** sites of rows without problems, in file order */
	sites: PlannedSite[];
	counts: { rows: number; new: number; changed: number; unchanged: number; refused: number };
};

/** A header as compared: no spaces, ASCII brackets and case-folded. */
export function normalizeHeader(header: string): string {
	return header
		.normalize('NFKC')
		.replace(/\s+/g, '')
		.replace(/[（【[]/g, '(')
		.replace(/[）】\]]/g, ')')
		.toLowerCase();
}

/**
 * Guesses which column holds each field from the file's headers: a header equal to one the
 * census forms use (or to the field's own key), then one equal once its bracketed part
 * (a unit) is dropped. A remembered mapping comes first where its header is in the file.
 */
export function guessMapping(
	headers: readonly string[],
	remembered?: ColumnMapping
): ColumnMapping {
	const mapping: ColumnMapping = {};
	const used = new Set<string>();
	const byNormal = new Map<string, string>();
	const byBase = new Map<string, string>();
	for (const header of headers) {
		const normal = normalizeHeader(header);
		if (!normal) continue;
		if (!byNormal.has(normal)) byNormal.set(normal, header);
		const base = normal.replace(/\(.*?\)/g, '');
		if (base && !byBase.has(base)) byBase.set(base, header);
	}
	const take = (field: ImportField, header: string | undefined): boolean => {
		if (header === undefined || used.has(header)) return false;
		mapping[field] = header;
		used.add(header);
		return true;
	};
	for (const field of IMPORT_FIELDS) {
		const header = remembered?.[field];
		if (header !== undefined && headers.includes(header)) take(field, header);
	}
	for (const field of IMPORT_FIELDS) {
		if (mapping[field] !== undefined) continue;
		const names = [field, ...IMPORT_FIELD_INFO[field].headers].map(normalizeHeader);
		if (names.some((name) => take(field, byNormal.get(name)))) continue;
		names.some((name) => take(field, byBase.get(name.replace(/\(.*?\)/g, ''))));
	}
	return mapping;
}

/** Problems of a mapping itself: a header the file lacks, one header for two fields. */
export function mappingIssues(
	headers: readonly string[],
	mapping: ColumnMapping
): { field: string; message: string }[] {
	const issues: { field: string; message: string }[] = [];
	const seen = new Map<string, ImportField>();
	for (const field of IMPORT_FIELDS) {
		const header = mapping[field];
		if (header === undefined) continue;
		if (!headers.includes(header)) {
			issues.push({ field, message: `文件中没有名为“${header}”的列：请重新选择` });
			continue;
		}
		const other = seen.get(header);
		if (other) {
			issues.push({
				field,
				message: `列“${header}”已对应“${IMPORT_FIELD_INFO[other].label}”：一列只能对应一个字段`
			});
		}
		seen.set(header, field);
	}
	if (mapping.code === undefined) {
		issues.push({ field: 'code', message: '必须选择“编号”所在的列：导入按编号新增或更新文物' });
	}
	return issues;
}

// ---- reading cells ---------------------------------------------------------------------------

type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };

const listText = (values: readonly string[], max = 8) =>
	values.length > max ? `${values.slice(0, max).join('、')} 等` : values.join('、');

/** Full-width digits and signs as ASCII, thousands separators dropped. */
function numberText(text: string): string {
	return text.normalize('NFKC').replace(/[,\s]/g, '');
}

function readNumber(text: string, label: string): CellResult<number> {
	const t = numberText(text).replace(/(平方米|㎡|m2|m²|米|m)$/i, '');
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
		return { ok: false, message: `${label}“${text}”不是数字：请只填数值，如 1200.5` };
	}
	return { ok: true, value: Number(t) };
}

function readCoordinate(text: string, axis: 'lon' | 'lat'): CellResult<number> {
	const label = axis === 'lon' ? '经度' : '纬度';
	const t = numberText(text);
	if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { ok: true, value: Number(t) };
	const dms = parseDms(text, axis);
	if (dms.ok) {
		return {
			ok: false,
			message: `${label}“${text}”不是十进制度：请换算为十进制度填写（此处约为 ${dms.value.toFixed(6)}）`
		};
	}
	return {
		ok: false,
		message: `${label}“${text}”不是坐标：请填十进制度（CGCS2000/WGS-84），如 ${axis === 'lon' ? '109.745050' : '39.300242'}`
	};
}

function readCounty(text: string): CellResult<CountyCode> {
	const t = text.normalize('NFKC').replace(/\s+/g, '');
	const found =
		COUNTIES.find((c) => c.code === t || c.name === t) ??
		(t.length >= 2 ? COUNTIES.filter((c) => c.name.startsWith(t)) : []).find(
			(_, __, all) => all.length === 1
		);
	if (found) return { ok: true, value: found.code };
	return {
		ok: false,
		message: `旗区“${text}”不是鄂尔多斯市的九个旗区之一：请填旗区代码或名称（${COUNTIES.map((c) => `${c.code} ${c.name}`).join('、')}）`
	};
}

function readEnum<T extends string>(
	text: string,
	values: readonly T[],
	label: string,
	aliases: Record<string, T> = {}
): CellResult<T> {
	const t = text.normalize('NFKC').trim();
	const exact = values.find((v) => v.normalize('NFKC') === t) ?? aliases[t];
	if (exact) return { ok: true, value: exact };
	return { ok: false, message: `${label}“${text}”不在代码表中：应为 ${listText(values)} 之一` };
}

function readList<T extends string>(
	text: string,
	values: readonly T[],
	label: string
): CellResult<T[]> {
	const items = text
		.split(/[、,，;；|/\n]+/)
		.map((s) => s.trim())
		.filter(Boolean);
	const out: T[] = [];
	for (const item of items) {
		const found = values.find((v) => v.normalize('NFKC') === item.normalize('NFKC'));
		if (!found) {
			return {
				ok: false,
				message: `${label}中的“${item}”不在代码表中：多个值用顿号“、”分隔，每个应为 ${listText(values)} 之一`
			};
		}
		if (!out.includes(found)) out.push(found);
	}
	return { ok: true, value: out };
}

const LEVEL_ALIASES: Record<string, (typeof PROTECTION_LEVELS)[number]> = Object.fromEntries([
	...Object.entries(PROTECTION_LEVEL_SHORT).map(([level, short]) => [short, level]),
	...Object.entries(PROTECTION_LEVEL_LOCAL).map(([level, local]) => [local, level]),
	['国家级', '全国重点文物保护单位'],
	['自治区级', '省级文物保护单位'],
	['省级', '省级文物保护单位'],
	['市级', '市级文物保护单位'],
	['县级', '县级文物保护单位'],
	['旗县级', '县级文物保护单位'],
	['未定级', '尚未核定公布为文物保护单位的不可移动文物'],
	['一般不可移动文物', '尚未核定公布为文物保护单位的不可移动文物']
]) as Record<string, (typeof PROTECTION_LEVELS)[number]>;

/** A boundary as GeoJSON (a Polygon/MultiPolygon or a Feature of one) or WKT text. */
export function readBoundary(text: string): CellResult<Boundary> {
	const t = text.trim();
	let geometry: unknown;
	if (t.startsWith('{')) {
		try {
			const json = JSON.parse(t) as { type?: unknown; geometry?: unknown };
			geometry = json.type === 'Feature' ? json.geometry : json;
		} catch {
			return { ok: false, message: '本体边界不是合法的 GeoJSON：请检查括号和逗号，或改用 WKT' };
		}
	} else {
		const wkt = parseWkt(t);
		if (!wkt) {
			return {
				ok: false,
				message:
					'本体边界应为 GeoJSON（Polygon/MultiPolygon）或 WKT（POLYGON((经度 纬度, …))），坐标为十进制度'
			};
		}
		geometry = wkt;
	}
	const parsed = parseWith(BoundarySchema, geometry);
	if (!parsed.ok) {
		return {
			ok: false,
			message: '本体边界应为面（Polygon/MultiPolygon），坐标为 [经度, 纬度] 十进制度'
		};
	}
	const valid = validatePolygonal(parsed.value);
	if (!valid.ok) {
		return { ok: false, message: `本体边界无效：${valid.issues[0]?.message ?? '请检查坐标'}` };
	}
	return { ok: true, value: parsed.value };
}

/** WKT POLYGON / MULTIPOLYGON (2-D) as GeoJSON, or undefined when it is neither. */
function parseWkt(text: string): Boundary | undefined {
	const match = /^(MULTIPOLYGON|POLYGON)\s*(\(.*\))$/is.exec(text.replace(/^SRID=\d+;/i, ''));
	if (!match) return undefined;
	let nested: unknown;
	try {
		// "((1 2, 3 4))" → "[[[1,2],[3,4]]]"
		const json = match[2]!
			.replace(/\(/g, '[')
			.replace(/\)/g, ']')
			.replace(/(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)(?:\s+-?\d+(?:\.\d+)?)?/g, '[$1,$2]');
		nested = JSON.parse(json);
	} catch {
		return undefined;
	}
	return {
		type: match[1]!.toUpperCase() === 'POLYGON' ? 'Polygon' : 'MultiPolygon',
		coordinates: nested
	} as Boundary;
}

// ---- the plan --------------------------------------------------------------------------------

export type PlanOptions = {
	/** The registry's sites of the codes in the file (others are new). */
	existing: ReadonlyMap<string, RegisteredSite>;
	counties: CountyCollection;
	/** Marks every site as generated demo data (the demo seed). */
	demo?: boolean;
};

/** The area the nine counties cover, with a margin: outside it a point is not in Ordos. */
function extentOf(counties: CountyCollection): [number, number, number, number] {
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	const walk = (c: unknown): void => {
		if (Array.isArray(c) && typeof c[0] === 'number') {
			const [x, y] = c as number[];
			w = Math.min(w, x!);
			e = Math.max(e, x!);
			s = Math.min(s, y!);
			n = Math.max(n, y!);
		} else if (Array.isArray(c)) c.forEach(walk);
	};
	for (const f of counties.features) walk(f.geometry.coordinates);
	const m = 0.05;
	return [w - m, s - m, e + m, n + m];
}

/** Metres a location may lie outside its county's boundary, which is good to a few hundred. */
export const IMPORT_COUNTY_MARGIN_M = 500;

/** Validates every row under `mapping` and compares the sites with the registry. */
export function planSiteImport(
	sheet: ImportSheet,
	mapping: ColumnMapping,
	options: PlanOptions
): SiteImportPlan {
	const column = new Map<ImportField, number>();
	for (const field of IMPORT_FIELDS) {
		const header = mapping[field];
		if (header !== undefined) column.set(field, sheet.headers.indexOf(header));
	}
	const extent = extentOf(options.counties);
	const problems: ImportProblem[] = [];
	const sites: PlannedSite[] = [];
	const firstRowOf = new Map<string, number>();
	let refused = 0;

	for (const { row, cells } of sheet.rows) {
		const rowProblems: ImportProblem[] = [];
		const headerOf = (field: ImportField) => mapping[field] ?? IMPORT_FIELD_INFO[field].label;
		const report = (field: ImportField | '', message: string, columnText?: string) =>
			rowProblems.push({
				row,
				column: columnText ?? (field ? headerOf(field) : ''),
				field,
				message
			});
		const mapped = (field: ImportField) => column.has(field);
		const cell = (field: ImportField): string => {
			const i = column.get(field);
			return i === undefined ? '' : (cells[i] ?? '').trim();
		};

		// identity first: the code decides new or changed, and what an unmapped field keeps
		const codeText = cell('code').normalize('NFKC').replace(/\s+/g, '');
		if (!codeText) {
			report(
				'code',
				`缺少编号：每行须有编号（旗区代码-4位序号，如 150627-0042），请填写第 ${row} 行的编号`
			);
			problems.push(...rowProblems);
			refused++;
			continue;
		}
		if (!SITE_CODE_PATTERN.test(codeText)) {
			report('code', `编号“${codeText}”格式不对：应为“旗区代码-4位序号”，如 150627-0042`);
			problems.push(...rowProblems);
			refused++;
			continue;
		}
		const earlier = firstRowOf.get(codeText);
		if (earlier !== undefined) {
			report(
				'code',
				`编号 ${codeText} 与第 ${earlier} 行重复：同一编号在文件中只能出现一次，请删去或改正其中一行`
			);
			problems.push(...rowProblems);
			refused++;
			continue;
		}
		firstRowOf.set(codeText, row);
		const old = options.existing.get(codeText);
		const draft: Partial<Record<ImportField, unknown>> = {};

		/** The cell of a field, or the kept value: undefined when there is none. */
		const value = <T>(
			field: ImportField,
			read: (text: string) => CellResult<T>,
			kept: T | undefined,
			optional: T | undefined
		): T | undefined => {
			if (!mapped(field)) return old ? kept : optional;
			const text = cell(field);
			if (!text) {
				if (optional !== undefined && !IMPORT_REQUIRED.includes(field)) return optional;
				if (field === 'eraGroup' || field === 'altitude' || field === 'boundary') return undefined;
				report(field, `缺少${IMPORT_FIELD_INFO[field].label}：此项必填，请在第 ${row} 行填写`);
				return undefined;
			}
			const result = read(text);
			if (!result.ok) {
				report(field, result.message);
				return undefined;
			}
			return result.value;
		};
		const text =
			(max: number) =>
			(t: string): CellResult<string> =>
				t.length > max
					? { ok: false, message: `内容超过 ${max} 个字符：请删减` }
					: t.includes('\u0000')
						? { ok: false, message: '文本中有空字符（U+0000），请删去' }
						: { ok: true, value: t };
		const required = (field: ImportField) => {
			if (!mapped(field) && !old)
				report(
					field,
					`缺少${IMPORT_FIELD_INFO[field].label}：新增的文物此项必填，请在文件中加上这一列并填写`
				);
		};

		const countyCode = value('countyCode', readCounty, old?.countyCode, undefined);
		required('countyCode');
		draft.name = value('name', text(200), old?.name, undefined);
		required('name');
		draft.township = value('township', text(200), old?.township, '');
		draft.village = value('village', text(200), old?.village ?? '', '');
		draft.address = value('address', text(20_000), old?.address, '');
		let category = value(
			'category',
			(t) => readEnum(t, CATEGORIES, '类别'),
			old?.category,
			undefined
		);
		const categoryBad = mapped('category') && category === undefined && cell('category') !== '';
		const subcategoryText = cell('subcategory');
		if (!category && !categoryBad && mapped('subcategory') && subcategoryText) {
			// the census lists sometimes give the subcategory alone: it names its category
			const named = SUBCATEGORIES.find(
				(s) => s.normalize('NFKC') === subcategoryText.normalize('NFKC')
			);
			category = named && categoryOfSubcategory(named);
			const missing = rowProblems.findIndex((p) => p.field === 'category');
			if (category && missing >= 0) rowProblems.splice(missing, 1);
		}
		if (!mapped('category') && !mapped('subcategory')) required('category');
		let subcategory: string | undefined;
		if (category) {
			const allowed = subcategoriesOf(category);
			subcategory = value(
				'subcategory',
				(t) => {
					const found = allowed.find((a) => a.normalize('NFKC') === t.normalize('NFKC'));
					return found
						? { ok: true, value: found }
						: {
								ok: false,
								message: `细类“${t}”不属于类别“${category}”：应为 ${listText(allowed)} 之一`
							};
				},
				old?.category === category ? old.subcategory : undefined,
				undefined
			);
			if (!mapped('subcategory') && (!old || old.category !== category)) {
				report('subcategory', `缺少细类：请在文件中加上“细类”一列，填写“${category}”下的细类`);
			}
		}
		draft.era = value('era', text(200), old?.era, '');
		let eraGroup = value(
			'eraGroup',
			(t) => readEnum(t, ERA_GROUPS, '统计年代'),
			old?.eraGroup,
			undefined
		);
		const eraGroupBad = mapped('eraGroup') && eraGroup === undefined && cell('eraGroup') !== '';
		if (eraGroup === undefined && !eraGroupBad) {
			const era = typeof draft.era === 'string' ? draft.era : '';
			eraGroup = ERAS.find((e) => e.name === era)?.group;
			if (eraGroup === undefined && (!old || mapped('eraGroup') || mapped('era'))) {
				report(
					mapped('eraGroup') ? 'eraGroup' : 'era',
					`缺少统计年代：请填“统计年代”（${listText(ERA_GROUPS, 12)}），或把“年代”写成其中的朝代名（如 明、清、西汉）`
				);
			}
		}
		if (category && eraGroup && !eraGroupsForCategory(category).includes(eraGroup)) {
			report(
				mapped('eraGroup') ? 'eraGroup' : 'era',
				`统计年代“${eraGroup}”与类别“${category}”不符：${category}的统计年代应为 ${listText(eraGroupsForCategory(category), 12)} 之一`
			);
		}
		draft.protectionLevel = value(
			'protectionLevel',
			(t) => readEnum(t, PROTECTION_LEVELS, '级别', LEVEL_ALIASES),
			old?.protectionLevel,
			undefined
		);
		required('protectionLevel');
		draft.ownership = value(
			'ownership',
			(t) => readEnum(t, OWNERSHIP, '所有权'),
			old?.ownership,
			undefined
		);
		required('ownership');
		draft.usage = value('usage', (t) => readList(t, USAGE, '使用情况'), old?.usage, []);
		draft.condition = value(
			'condition',
			(t) => readEnum(t, CONDITIONS, '现状评估'),
			old?.condition,
			undefined
		);
		required('condition');
		draft.openStatus = value(
			'openStatus',
			(t) => readEnum(t, OPEN_STATUS, '开放状况', { 是: '开放', 否: '未开放', 不开放: '未开放' }),
			old?.openStatus,
			undefined
		);
		required('openStatus');
		draft.threats = value('threats', (t) => readList(t, THREATS, '影响因素'), old?.threats, []);
		draft.areaM2 = value(
			'areaM2',
			(t) => {
				const n = readNumber(t, '面积');
				return n.ok && n.value < 0
					? { ok: false, message: `面积“${t}”不能为负数：请填平方米数` }
					: n;
			},
			old?.areaM2,
			undefined
		);
		required('areaM2');
		const lon = value('lon', (t) => readCoordinate(t, 'lon'), old?.location.lon, undefined);
		const lat = value('lat', (t) => readCoordinate(t, 'lat'), old?.location.lat, undefined);
		required('lon');
		required('lat');
		const altitude = value(
			'altitude',
			(t) => readNumber(t, '海拔'),
			old?.location.altitude,
			undefined
		);
		const boundary = value('boundary', readBoundary, old?.boundary, undefined);
		draft.description = value('description', text(20_000), old?.description, '');

		// the code names its county; the location lies in it
		if (countyCode && codeText.slice(0, 6) !== countyCode) {
			report(
				'code',
				`编号 ${codeText} 的前 6 位与所在旗区 ${describeCounty(countyCode)}（${countyCode}）不一致：请核对编号或所在旗区`
			);
		}
		const coordColumn = [mapping.lon, mapping.lat].filter(Boolean).join('、') || '经度、纬度';
		if (lon !== undefined && lat !== undefined) {
			const [w, s, e, n] = extent;
			const inside = (x: number, y: number) => x >= w && x <= e && y >= s && y <= n;
			if (!inside(lon, lat)) {
				report(
					'lon',
					inside(lat, lon)
						? `经纬度填反了（经度 ${lon}、纬度 ${lat}）：鄂尔多斯的经度约 ${w.toFixed(1)}–${e.toFixed(1)}，纬度约 ${s.toFixed(1)}–${n.toFixed(1)}，请对调两列`
						: `坐标（${lon}, ${lat}）不在鄂尔多斯市范围内：须为 CGCS2000/WGS-84 十进制度（经度约 ${w.toFixed(1)}–${e.toFixed(1)}，纬度约 ${s.toFixed(1)}–${n.toFixed(1)}），请核对`,
					coordColumn
				);
			} else if (countyCode) {
				const county = countyFeature(options.counties, countyCode);
				const outside = county ? distanceOutsideM({ lon, lat }, county.geometry) : undefined;
				if (outside?.ok && outside.value > IMPORT_COUNTY_MARGIN_M) {
					const other = options.counties.features.find(
						(f) => f.properties.code !== countyCode && containsPoint(f.geometry, { lon, lat })
					);
					report(
						'lon',
						`坐标在${describeCounty(countyCode)}界外约 ${formatDistance(outside.value)}${other ? `，落在${other.properties.name}境内` : ''}：请核对坐标（是否误用了 GCJ-02 地图坐标）或所在旗区`,
						coordColumn
					);
				}
			}
		}

		if (rowProblems.length > 0) {
			problems.push(...rowProblems);
			refused++;
			continue;
		}
		const candidate: Record<string, unknown> = {
			code: codeText,
			countyCode,
			name: draft.name,
			township: draft.township,
			village: draft.village ?? '',
			address: draft.address,
			category,
			subcategory,
			era: draft.era,
			eraGroup,
			protectionLevel: draft.protectionLevel,
			ownership: draft.ownership,
			usage: draft.usage,
			condition: draft.condition,
			openStatus: draft.openStatus,
			threats: draft.threats,
			areaM2: draft.areaM2,
			location: { lat, lon, ...(altitude !== undefined ? { altitude } : {}) },
			...(boundary ? { boundary } : {}),
			description: draft.description,
			// generated data stays marked as such whatever a re-import changes in it
			...(options.demo || old?.demo ? { demo: true } : {})
		};
		const parsed = parseWith(RegisteredSiteSchema, candidate);
		if (!parsed.ok) {
			for (const issue of parsed.issues) {
				const field = IMPORT_FIELDS.find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
				report(
					field ?? '',
					`${field ? IMPORT_FIELD_INFO[field].label : issue.path}：${issue.message}`
				);
			}
			problems.push(...rowProblems);
			refused++;
			continue;
		}
		const site = parsed.value;
		const changes = diffSites(old, site);
		sites.push({
			row,
			code: site.code,
			name: site.name,
			status: !old ? 'new' : changes.length ? 'changed' : 'unchanged',
			site,
			changes
		});
	}
	const count = (status: PlannedSite['status']) => sites.filter((s) => s.status === status).length;
	return {
		problems,
		sites,
		counts: {
			rows: sheet.rows.length,
			new: count('new'),
			changed: count('changed'),
			unchanged: count('unchanged'),
			refused
		}
	};
}

/** The top-level fields that differ, old → new (`location` and `boundary` as wholes). */
export function diffSites(old: RegisteredSite | undefined, site: RegisteredSite): FieldChange[] {
	const before = (old ?? {}) as Record<string, unknown>;
	const after = site as Record<string, unknown>;
	const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
	return keys
		.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
		.map((key) => ({ field: key, old: before[key] ?? null, new: after[key] ?? null }));
}

/** A site as a row of cell texts under the fields' own keys (the demo seed reads these). */
export function siteRow(site: RegisteredSite): Record<ImportField, string> {
	return {
		code: site.code,
		name: site.name,
		countyCode: site.countyCode,
		township: site.township,
		village: site.village ?? '',
		address: site.address,
		category: site.category,
		subcategory: site.subcategory,
		era: site.era,
		eraGroup: site.eraGroup,
		protectionLevel: site.protectionLevel,
		ownership: site.ownership,
		usage: site.usage.join('、'),
		condition: site.condition,
		openStatus: site.openStatus,
		threats: site.threats.join('、'),
		areaM2: String(site.areaM2),
		lon: String(site.location.lon),
		lat: String(site.location.lat),
		altitude: site.location.altitude === undefined ? '' : String(site.location.altitude),
		boundary: site.boundary ? JSON.stringify(site.boundary) : '',
		description: site.description
	};
}

/** Sites as a sheet whose headers are the field keys (so guessMapping maps every column). */
export function sitesSheet(sites: readonly RegisteredSite[]): ImportSheet {
	const headers = [...IMPORT_FIELDS];
	return {
		headers,
		rows: sites.map((site, i) => {
			const row = siteRow(site);
			return { row: i + 2, cells: headers.map((h) => row[h]) };
		})
	};
}
