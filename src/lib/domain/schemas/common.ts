import { z } from 'zod';
import { zhCN } from 'zod/locales';

/** Short text fields (names, township, captions …): at most 200 characters (contract §2). */
export const SHORT_TEXT_MAX = 200;
/** Long text fields (description, notes): at most 20,000 characters (contract §2). */
export const LONG_TEXT_MAX = 20_000;

export const shortText = z.string().max(SHORT_TEXT_MAX, `不能超过 ${SHORT_TEXT_MAX} 个字符`);
export const longText = z.string().max(LONG_TEXT_MAX, `不能超过 ${LONG_TEXT_MAX} 个字符`);

/**
 * An optional field: absent, `null` and `""` all mean "not filled in" (contract §2), so each
 * is accepted; a present value MUST match `schema`.
 */
export function emptyable<T extends z.ZodType>(schema: T) {
	return z.union([schema, z.literal(''), z.null()]).optional();
}

/** An optional list: absent, `null` and `[]` mean "not filled in". */
export function emptyableList<T extends z.ZodType>(item: T, max = 100) {
	return z.array(item).max(max).nullable().optional();
}

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 必须是 64 位小写十六进制');

/** ISO 8601 date-time with an offset (`Z` counts as one). */
export const isoDateTime = z.iso.datetime({
	offset: true,
	error: '时间须为带时区的 ISO 8601 格式'
});
/** `YYYY-MM-DD`. */
export const isoDate = z.iso.date({ error: '日期须为 YYYY-MM-DD 格式' });

export const latitude = z.number().finite().min(-90).max(90);
export const longitude = z.number().finite().min(-180).max(180);

/** A GeoJSON position `[lon, lat]` or `[lon, lat, alt]`. */
const position = z.union([
	z.tuple([longitude, latitude]),
	z.tuple([longitude, latitude, z.number().finite()])
]);
const ring = z.array(position).max(100_000);
export const PolygonSchema = z.strictObject({
	type: z.literal('Polygon'),
	coordinates: z.array(ring).min(1).max(1000)
});
export const MultiPolygonSchema = z.strictObject({
	type: z.literal('MultiPolygon'),
	coordinates: z.array(z.array(ring).min(1).max(1000)).min(1).max(1000)
});
/** 本体边界: a Polygon or a MultiPolygon (a group site such as a 墓群 may have several parts). */
export const BoundarySchema = z.discriminatedUnion('type', [PolygonSchema, MultiPolygonSchema]);
export type Boundary = z.infer<typeof BoundarySchema>;

export type Issue = { path: string; message: string };

/** What a text with U+0000 in it is told: no census text has one, and PostgreSQL cannot store it. */
export const NUL_MESSAGE = '文本中有空字符（U+0000），请删去后再发送';

/** Text without U+0000 (a field the server stores as it came: ids, names). */
export const textWithoutNul = (text: z.ZodString) =>
	text.refine((value) => !value.includes('\u0000'), NUL_MESSAGE);

/** Every text in `value` that holds U+0000, as issues naming where (`a.b[2].c`); at most `max`. */
export function nulIssues(value: unknown, max = 20): Issue[] {
	const issues: Issue[] = [];
	const walk = (v: unknown, path: string): void => {
		if (issues.length >= max) return;
		if (typeof v === 'string') {
			if (v.includes('\u0000')) issues.push({ path, message: NUL_MESSAGE });
		} else if (Array.isArray(v)) {
			v.forEach((item, i) => walk(item, `${path}[${i}]`));
		} else if (v && typeof v === 'object') {
			for (const [key, item] of Object.entries(v)) {
				if (key.includes('\u0000')) issues.push({ path, message: NUL_MESSAGE });
				walk(item, path ? `${path}.${key}` : key);
			}
		}
	};
	walk(value, '');
	return issues;
}

/** Issues as one line of text, the first `max` of them: `path message；path message`. */
export function issuesText(issues: readonly Issue[], max = 5): string {
	return issues
		.slice(0, max)
		.map((i) => `${i.path || '(根)'} ${i.message}`)
		.join('；');
}

/** A parse outcome as a discriminated union, so callers never catch. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const zhLocale = zhCN();

/** Parses `input`, turning Zod's issues into `{path, message}` pairs with Chinese messages. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): ParseResult<z.infer<T>> {
	const result = schema.safeParse(input, { error: zhLocale.localeError });
	if (result.success) return { ok: true, value: result.data };
	return {
		ok: false,
		issues: result.error.issues.map((issue) => ({
			path: issue.path.map(String).join('.'),
			message: issue.message
		}))
	};
}

/** True when a value means "not filled in": absent, `null`, `""` (after trimming) or `[]`. */
export function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return false;
}
