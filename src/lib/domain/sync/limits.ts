/**
 * The limits of contract §3, the one definition the device, the server and the backup import
 * share.
 */

/** A push MUST carry at most this many records. */
export const PUSH_MAX_RECORDS = 50;
/** A push body MUST be at most this many bytes of JSON. */
export const PUSH_MAX_BYTES = 2 * 1024 * 1024;
/**
 * What a client SHOULD put into one push, at most: the records' JSON, with room left for the
 * envelope (`{deviceId, records:[…]}`). A record larger than this alone is never sent.
 */
export const PUSH_BATCH_BYTES = PUSH_MAX_BYTES - 4_096;
/** A photo MUST be at most this many bytes (`PUT /api/photos/{sha256}`, a backup's photo entry). */
export const PHOTO_MAX_BYTES = 20 * 1024 * 1024;
/** A pull MUST answer at most this many changes per call (`more: true` says to call again). */
export const PULL_MAX_CHANGES = 500;
