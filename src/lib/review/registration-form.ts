/**
 * The printed registration form (登记表, issue 14 point 1) of a survey record: what its sections
 * list beside the fields — the 测点 of 本体边界坐标 in degrees-minutes-seconds, the photo register
 * numbered Z001…, and the review history summed up as who did what and when.
 */
import { toDms } from '$lib/domain/geometry/dms.js';
import type { Boundary } from '$lib/domain/schemas/common.js';
import type { HistoryEntry } from '$lib/domain/sync/wire.js';

/** A photo's number in the register: Z001, Z002, … (the census form's 照片号). */
export function photoNumber(index: number): string {
	return `Z${String(index + 1).padStart(3, '0')}`;
}

export type SurveyPoint = {
	/** 序号, from 1 */
	n: number;
	/** 分组: the polygon and ring a boundary point belongs to (e.g. 1 or 1-外 / 2-内1), '' for the centre */
	group: string;
	kind: '中心点' | '边界点';
	lat: string;
	lon: string;
	altitude: string;
};

/**
 * The 测点 of the form: the centre point first, then every boundary vertex ring by ring (the
 * closing vertex that repeats the first is left out), in 度分秒 as the census form writes them.
 */
export function surveyPoints(
	location: { lat: number; lon: number; altitude?: number | '' | null | undefined } | undefined,
	boundary: Boundary | null | undefined
): SurveyPoint[] {
	const out: SurveyPoint[] = [];
	const add = (group: string, kind: SurveyPoint['kind'], lon: number, lat: number, alt?: number) =>
		out.push({
			n: out.length + 1,
			group,
			kind,
			lat: toDms(lat, 'lat', 'chinese'),
			lon: toDms(lon, 'lon', 'chinese'),
			altitude: alt === undefined || !Number.isFinite(alt) ? '' : alt.toFixed(1)
		});
	if (location)
		add(
			'',
			'中心点',
			location.lon,
			location.lat,
			typeof location.altitude === 'number' ? location.altitude : undefined
		);
	if (boundary) {
		const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
		polygons.forEach((polygon, p) => {
			polygon.forEach((ring, r) => {
				const group =
					polygons.length === 1 && polygon.length === 1
						? ''
						: `${polygons.length > 1 ? `${p + 1}` : ''}${r === 0 ? (polygon.length > 1 ? '外' : '') : `内${r}`}`;
				const closed =
					ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];
				const vertices = closed ? ring.slice(0, -1) : ring;
				for (const [lon, lat] of vertices) add(group, '边界点', lon!, lat!);
			});
		});
	}
	return out;
}

/** The form's 审核信息: who sent, decided or corrected the record, and when (oldest first). */
export type ReviewStep = {
	revision: number;
	at: string;
	by: string;
	action: string;
	status: string | undefined;
	/** a decision's comments, a correction's reason */
	notes: string[];
};

export function reviewSteps(history: readonly HistoryEntry[]): ReviewStep[] {
	return [...history]
		.sort((a, b) => a.revision - b.revision)
		.map((h) => ({
			revision: h.revision,
			at: h.at,
			by: h.by,
			action: h.action,
			status: h.status,
			notes: [...(h.comments ?? []).map((c) => c.message), ...(h.reason ? [h.reason] : [])]
		}));
}

/**
 * The reviewer who signs as 审定人: the last approval that made the record `accepted` (the
 * city's), else the last approval of the county; with its date.
 */
export function approver(history: readonly HistoryEntry[]): { by: string; at: string } | null {
	const approvals = history.filter((h) => h.action === 'approve');
	const found = approvals.filter((h) => h.status === 'accepted').at(-1) ?? approvals.at(-1);
	return found ? { by: found.by, at: found.at } : null;
}
