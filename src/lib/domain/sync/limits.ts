/**
 * The push limits of contract §3, the one definition the device, the server and the backup
 * import share.
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
