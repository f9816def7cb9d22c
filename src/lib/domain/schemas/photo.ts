import { z } from 'zod';
import { RecordPhotoSchema } from './survey-record.js';
import { isoDateTime, latitude, longitude, shortText } from './common.js';

/** The photo types the server stores (`Content-Type` of `PUT /api/photos/{sha256}`, contract §3). */
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIME_TYPES)[number];

/** What the photo's own EXIF said, kept for provenance. */
export const PhotoExifSchema = z.strictObject({
	dateTimeOriginal: isoDateTime.optional(),
	lat: latitude.optional(),
	lon: longitude.optional(),
	altitude: z.number().finite().optional(),
	make: shortText.optional(),
	model: shortText.optional(),
	orientation: z.number().int().min(1).max(8).optional()
});

/**
 * Photo metadata as the device stores it beside the Blob: the wire entry plus where it belongs,
 * what it is, and where the device was when it was taken.
 */
export const PhotoMetaSchema = RecordPhotoSchema.extend({
	recordId: z.uuidv4(),
	/** Z001, Z002 … within its record (照片号). */
	number: z.number().int().min(1),
	mimeType: z.enum(PHOTO_MIME_TYPES),
	bytes: z.number().int().min(1),
	width: z.number().int().min(1),
	height: z.number().int().min(1),
	exif: PhotoExifSchema.optional(),
	deviceLocation: z
		.strictObject({
			lat: latitude,
			lon: longitude,
			accuracyM: z.number().finite().min(0).optional(),
			at: isoDateTime
		})
		.optional(),
	createdAt: isoDateTime
});
export type PhotoMeta = z.infer<typeof PhotoMetaSchema>;
