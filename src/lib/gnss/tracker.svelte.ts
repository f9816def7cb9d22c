import {
	averageFixes,
	toIsoWithOffset,
	type Fix,
	type FixAverage
} from '$lib/domain/location/averaging.js';
import { m } from '$lib/paraglide/messages.js';

export type GnssStatus = 'idle' | 'watching' | 'denied' | 'unavailable' | 'error';

export type Averaging = { target: number; fixes: Fix[] };

/** The most fixes one average may take (about 10 minutes at 1 Hz). */
export const MAX_AVERAGE_COUNT = 600;

/** Without a fix for this long, the surveyor is told to move to open sky. */
const TIMEOUT_MS = 30_000;

/** What the surveyor is told, in the UI language, when locating fails. */
const MESSAGES = {
	noApi: m.gnss_error_no_api,
	insecure: m.gnss_error_insecure,
	denied: m.gnss_error_denied,
	unavailable: m.gnss_error_unavailable,
	timeout: m.gnss_error_timeout,
	other: m.gnss_error_other
} as const;

/**
 * GNSS through `navigator.geolocation.watchPosition` (high accuracy, no cached fixes), with an
 * optional average of the next N fixes. One per panel (or shared by its owner); no global state.
 *
 * - `start()` watches until `stop()`; a timeout keeps watching (it restarts the watch).
 * - `startAveraging(n)` collects the next `n` fixes (not the one already shown: it may be from
 *   before the surveyor reached the point); when `n` are in, it keeps watching but stops adding.
 */
export class GnssTracker {
	status = $state<GnssStatus>('idle');
	/** The latest fix, averaging or not. */
	last = $state.raw<Fix | null>(null);
	/** In the UI language, saying what the surveyor can do; '' when all is well. */
	error = $state('');
	averaging = $state.raw<Averaging | null>(null);

	readonly #geolocation: () => Geolocation | undefined;
	readonly #secure: () => boolean;
	#watchId: number | null = null;

	/**
	 * `geolocation` and `secure` default to the browser's; pass them to drive the tracker in
	 * tests.
	 */
	constructor(options: { geolocation?: Geolocation; secure?: boolean } = {}) {
		this.#geolocation = () =>
			options.geolocation ??
			(typeof navigator === 'undefined' ? undefined : (navigator.geolocation ?? undefined));
		this.#secure = () =>
			options.secure ?? (typeof window === 'undefined' ? true : window.isSecureContext !== false);
	}

	/** The mean of the fixes collected so far, or `null` when not averaging or none is in. */
	get average(): FixAverage | null {
		return this.averaging ? averageFixes(this.averaging.fixes) : null;
	}

	/** True once the averaging has all the fixes it asked for. */
	get averagingDone(): boolean {
		return this.averaging !== null && this.averaging.fixes.length >= this.averaging.target;
	}

	/** Starts watching, or restarts it after an error; does nothing while all is well. */
	start(): void {
		if (this.#watchId !== null && this.status === 'watching') return;
		this.#clear();
		const geolocation = this.#geolocation();
		if (!this.#secure()) {
			this.status = 'unavailable';
			this.error = MESSAGES.insecure();
			return;
		}
		if (!geolocation || typeof geolocation.watchPosition !== 'function') {
			this.status = 'unavailable';
			this.error = MESSAGES.noApi();
			return;
		}
		this.status = 'watching';
		this.error = '';
		this.#watch(geolocation);
	}

	/** Stops watching; the last fix and any averaging are kept. */
	stop(): void {
		this.#clear();
		if (this.status === 'watching') this.status = 'idle';
	}

	/** Averages the next `n` fixes (1 … 600), starting the watch if needed. */
	startAveraging(n: number): void {
		const target = Number.isFinite(n) ? Math.min(MAX_AVERAGE_COUNT, Math.max(1, Math.round(n))) : 1;
		this.averaging = { target, fixes: [] };
		this.start();
	}

	cancelAveraging(): void {
		this.averaging = null;
	}

	/** Stops watching and forgets everything: back to the state of a new tracker. */
	reset(): void {
		this.#clear();
		this.status = 'idle';
		this.last = null;
		this.error = '';
		this.averaging = null;
	}

	#watch(geolocation: Geolocation): void {
		this.#watchId = geolocation.watchPosition(
			(position) => this.#onPosition(position),
			(error) => this.#onError(geolocation, error),
			{ enableHighAccuracy: true, maximumAge: 0, timeout: TIMEOUT_MS }
		);
	}

	#clear(): void {
		if (this.#watchId === null) return;
		this.#geolocation()?.clearWatch(this.#watchId);
		this.#watchId = null;
	}

	#onPosition(position: GeolocationPosition): void {
		if (this.#watchId === null) return;
		const { latitude, longitude, accuracy, altitude } = position.coords;
		if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return;
		const now = Date.now();
		// a clock far off (some devices report GPS time oddly) falls back to the device's time
		const stamp =
			Number.isFinite(position.timestamp) && Math.abs(position.timestamp - now) < 86_400_000
				? position.timestamp
				: now;
		const fix: Fix = { lat: latitude, lon: longitude, at: toIsoWithOffset(stamp) };
		if (Number.isFinite(accuracy) && accuracy >= 0) fix.accuracyM = accuracy;
		if (typeof altitude === 'number' && Number.isFinite(altitude)) fix.altitude = altitude;

		this.status = 'watching';
		this.error = '';
		this.last = fix;
		const averaging = this.averaging;
		if (averaging && averaging.fixes.length < averaging.target) {
			const previous = averaging.fixes[averaging.fixes.length - 1];
			// the same report delivered twice is one sample
			const repeated =
				previous && previous.at === fix.at && previous.lat === fix.lat && previous.lon === fix.lon;
			if (!repeated) this.averaging = { ...averaging, fixes: [...averaging.fixes, fix] };
		}
	}

	#onError(geolocation: Geolocation, error: GeolocationPositionError): void {
		if (this.#watchId === null) return;
		switch (error.code) {
			case 1: {
				// PERMISSION_DENIED (also what Chrome answers on an insecure origin)
				this.#clear();
				const insecure = /secure|https/i.test(error.message ?? '');
				this.status = insecure ? 'unavailable' : 'denied';
				this.error = insecure ? MESSAGES.insecure() : MESSAGES.denied();
				return;
			}
			case 3: // TIMEOUT
				// Keep trying: restart the watch, which some browsers end after a timeout. Some also
				// report a still device only when it moves, so with a fix in hand the timeout says
				// nothing; the fix's time is on screen.
				if (!this.last) {
					this.status = 'error';
					this.error = MESSAGES.timeout();
				}
				this.#clear();
				this.#watch(geolocation);
				return;
			case 2: // POSITION_UNAVAILABLE
				this.status = 'error';
				this.error = MESSAGES.unavailable();
				return;
			default:
				this.status = 'error';
				this.error = MESSAGES.other();
		}
	}
}
