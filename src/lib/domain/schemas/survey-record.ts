import { z } from 'zod';
import {
	CATEGORIES,
	CHANGE_TYPES,
	CONDITIONS,
	COUNTY_CODES,
	ERA_GROUPS,
	INDUSTRY,
	LOCATION_SOURCES,
	OPEN_STATUS,
	OWNERSHIP,
	PHOTO_DIRECTIONS,
	PHOTO_KINDS,
	PROTECTION_LEVELS,
	SPECIAL_LISTS,
	SUBCATEGORIES,
	SURVEY_KINDS,
	THREATS,
	USAGE
} from '../codelists/index.js';
import {
	BoundarySchema,
	emptyable,
	emptyableList,
	isEmpty,
	isoDate,
	isoDateTime,
	latitude,
	longText,
	longitude,
	sha256Hex,
	shortText
} from './common.js';

export const SITE_CODE_PATTERN = /^\d{6}-\d{4}$/;
export const siteCode = z.string().regex(SITE_CODE_PATTERN, '编号格式应为 “旗区代码-4位序号”');

/** The centre point (中心点) of a record (contract §2). */
export const RecordLocationSchema = z.strictObject({
	lat: latitude,
	lon: longitude,
	/** Metres as the device reports it (GNSS: height above the ellipsoid). */
	altitude: emptyable(z.number().finite().min(-500).max(9000)),
	/** Horizontal accuracy in metres. */
	accuracyM: emptyable(z.number().finite().min(0).max(1_000_000)),
	/** Fixes averaged into this point. */
	samples: emptyable(z.number().int().min(1).max(100_000)),
	source: z.enum(LOCATION_SOURCES),
	fixedAt: emptyable(isoDateTime),
	overrideReason: emptyable(longText)
});
export type RecordLocation = z.infer<typeof RecordLocationSchema>;

/** One entry of the photo register (照片册页) as it travels on the wire. */
export const RecordPhotoSchema = z.strictObject({
	sha256: sha256Hex,
	originalSha256: emptyable(sha256Hex),
	kind: z.enum(PHOTO_KINDS),
	direction: emptyable(z.enum(PHOTO_DIRECTIONS)),
	caption: emptyable(longText),
	photographer: emptyable(shortText),
	takenAt: emptyable(isoDateTime),
	lat: emptyable(latitude),
	lon: emptyable(longitude)
});
export type RecordPhoto = z.infer<typeof RecordPhotoSchema>;

export const QcNoteSchema = z.strictObject({
	rule: z.string().regex(/^[A-Z]{2,5}-\d{3}$/, '规则代码格式应为 “LOC-003”'),
	note: longText
});
export type QcNote = z.infer<typeof QcNoteSchema>;

/** How a surveyor answers a reviewer's comment (schemaVersion 2): fixed, or an explanation. */
export const ANSWER_REPLIES = ['已修改', '说明'] as const;
export type AnswerReply = (typeof ANSWER_REPLIES)[number];

/**
 * The surveyor's answer to one comment of the decision that returned the record (schemaVersion
 * 2, added with issue 12). `commentId` is the comment's `id` as the server gave it; `说明` needs a
 * text, `已修改` may carry one.
 */
export const ReviewAnswerSchema = z
	.strictObject({
		commentId: z.string().regex(/^\d{1,9}\.\d{1,4}$/, '意见编号格式应为 “修订版本.序号”，如 3.1'),
		reply: z.enum(ANSWER_REPLIES, { error: '答复只能是 已修改 或 说明' }),
		text: emptyable(longText)
	})
	.refine((a) => a.reply !== '说明' || !isEmpty(a.text), {
		message: '选择“说明”时请写明说明的内容',
		path: ['text']
	});
export type ReviewAnswer = z.infer<typeof ReviewAnswerSchema>;

/** Record wire versions the server accepts: 1, and 2 (adds `answers`). */
export const SCHEMA_VERSIONS = [1, 2] as const;
export const CURRENT_SCHEMA_VERSION = 2;

const surveyRecordShape = {
	id: z.uuidv4({ error: 'id 必须是设备生成的 UUID v4' }),
	schemaVersion: z.union([z.literal(1), z.literal(2)], {
		error: 'schemaVersion 只能是 1 或 2'
	}),
	codeListVersion: emptyable(shortText),
	kind: z.enum(SURVEY_KINDS),
	siteCode: emptyable(siteCode),
	countyCode: z.enum(COUNTY_CODES),
	baseRevision: z.number().int().min(0),
	name: emptyable(shortText),
	township: emptyable(shortText),
	village: emptyable(shortText),
	address: emptyable(longText),
	changeType: emptyable(z.enum(CHANGE_TYPES)),
	lostReason: emptyable(longText),
	category: emptyable(z.enum(CATEGORIES)),
	subcategory: emptyable(z.enum(SUBCATEGORIES)),
	era: emptyable(shortText),
	eraGroup: emptyable(z.enum(ERA_GROUPS)),
	protectionLevel: emptyable(z.enum(PROTECTION_LEVELS)),
	ownership: emptyable(z.enum(OWNERSHIP)),
	usage: emptyableList(z.enum(USAGE)),
	usageNote: emptyable(longText),
	industry: emptyable(z.enum(INDUSTRY)),
	specialLists: emptyableList(z.enum(SPECIAL_LISTS)),
	condition: emptyable(z.enum(CONDITIONS)),
	openStatus: emptyable(z.enum(OPEN_STATUS)),
	threats: emptyableList(z.enum(THREATS)),
	areaM2: emptyable(
		z
			.number()
			.finite()
			.min(0, '面积不能小于 0：请填写实测或估算的平方米数')
			.max(1e10, '面积过大：请核对单位是否为平方米')
	),
	location: RecordLocationSchema,
	boundary: BoundarySchema.nullable().optional(),
	description: emptyable(longText),
	photos: z.array(RecordPhotoSchema).max(500),
	qcNotes: emptyableList(QcNoteSchema, 200),
	surveyors: emptyableList(shortText, 50),
	surveyedOn: emptyable(isoDate),
	updatedAt: isoDateTime,
	/** schemaVersion 2: the surveyor's answers to the comments of the return being fixed. */
	answers: emptyableList(ReviewAnswerSchema, 200)
};

/**
 * The survey record, wire format v1 (contract §2), exactly: unknown keys are refused, every
 * present value must have its type and, where enumerated, be in the code lists. Emptiness is
 * never a schema error (QC REQ-001 reports it).
 */
export const SurveyRecordSchema = z.strictObject(surveyRecordShape).superRefine((record, ctx) => {
	if (record.schemaVersion < 2 && !isEmpty(record.answers)) {
		ctx.addIssue({
			code: 'custom',
			path: ['answers'],
			message: '答复意见（answers）需要 schemaVersion 2'
		});
	}
	const answered = new Set<string>();
	for (const [i, answer] of (record.answers ?? []).entries()) {
		if (answered.has(answer.commentId)) {
			ctx.addIssue({
				code: 'custom',
				path: ['answers', i, 'commentId'],
				message: `意见 ${answer.commentId} 答复了两次`
			});
		}
		answered.add(answer.commentId);
	}
	if (record.kind === '复查') {
		if (isEmpty(record.siteCode)) {
			ctx.addIssue({
				code: 'custom',
				path: ['siteCode'],
				message: '复查记录必须填写所复查文物的登记编号 siteCode'
			});
		}
	} else {
		for (const key of ['siteCode', 'changeType', 'lostReason'] as const) {
			if (!isEmpty(record[key])) {
				ctx.addIssue({
					code: 'custom',
					path: [key],
					message: `新发现记录不能填写 ${key}（仅用于复查）`
				});
			}
		}
	}
});
export type SurveyRecord = z.infer<typeof SurveyRecordSchema>;
export const SURVEY_RECORD_KEYS = Object.keys(surveyRecordShape) as (keyof SurveyRecord)[];
