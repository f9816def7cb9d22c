/**
 * How a photo's EXIF compares with what the record says of it: the time (takenAt against EXIF
 * DateTimeOriginal) and the place (the recorded point against EXIF GPS), for the gallery.
 */
import type { PhotoExif } from '$lib/domain/photos/jpeg-exif.js';
import type { RecordPhoto } from '$lib/domain/schemas/survey-record.js';
import { m } from '$lib/paraglide/messages.js';
import { metresBetween } from './record-geo.js';

/** What the reviewer's browser read from a photo's bytes. */
export type ReviewExif = PhotoExif & {
	/** GPSImgDirection, degrees clockwise from north (true or magnetic, as the camera wrote). */
	direction?: number;
};

export type PhotoCheck = {
	/** False: the file holds none of time, GPS, direction and device. */
	hasExif: boolean;
	/** Seconds the recorded takenAt is after the EXIF time (negative: before); null if either is missing. */
	timeDiffS: number | null;
	/** Metres between the recorded point and the EXIF GPS; null if either is missing. */
	distanceM: number | null;
};

export function checkPhoto(photo: RecordPhoto, exif: ReviewExif): PhotoCheck {
	const hasExif =
		exif.dateTimeOriginal !== undefined ||
		exif.lat !== undefined ||
		exif.direction !== undefined ||
		exif.make !== undefined ||
		exif.model !== undefined;
	const recorded = photo.takenAt ? Date.parse(photo.takenAt) : NaN;
	const shot = exif.dateTimeOriginal ? Date.parse(exif.dateTimeOriginal) : NaN;
	const timeDiffS =
		Number.isNaN(recorded) || Number.isNaN(shot) ? null : Math.round((recorded - shot) / 1000);
	const distanceM =
		typeof photo.lat === 'number' &&
		typeof photo.lon === 'number' &&
		exif.lat !== undefined &&
		exif.lon !== undefined
			? metresBetween({ lat: photo.lat, lon: photo.lon }, { lat: exif.lat, lon: exif.lon })
			: null;
	return { hasExif, timeDiffS, distanceM };
}

/** A distance as a reviewer reads it: metres up to a kilometre, then kilometres. */
export function distanceText(metres: number): string {
	return metres < 1000
		? m.review_rec_metres({ metres: Math.round(metres) })
		: m.review_rec_km({ km: (metres / 1000).toFixed(1) });
}

/** Differences beyond these are worth a reviewer's look (shown in amber). */
export const EXIF_FAR_M = 100;
export const EXIF_LATE_S = 3600;

/** A time difference as a reviewer reads it: "3 秒", "2 分 5 秒", "1 小时 4 分". */
export function durationText(seconds: number): string {
	const s = Math.abs(seconds);
	if (s < 60) return m.review_rec_dur_s({ s });
	if (s < 3600) return m.review_rec_dur_m({ m: Math.floor(s / 60), s: s % 60 });
	if (s < 86_400)
		return m.review_rec_dur_h({ h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
	return m.review_rec_dur_d({ d: Math.floor(s / 86_400), h: Math.floor((s % 86_400) / 3600) });
}
