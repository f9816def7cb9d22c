import { LOCATION_SOURCE_LABEL } from '$lib/domain/codelists/index.js';
import {
	accuracyLevel,
	averageFixes,
	DEFAULT_AVERAGE_COUNT,
	needsOverride,
	toIsoWithOffset,
	toRecordLocation,
	type FixAverage
} from '$lib/domain/location/averaging.js';
import type { RecordLocation } from '$lib/domain/schemas/survey-record.js';
import { GnssTracker } from '$lib/gnss/tracker.svelte.js';
import { m } from '$lib/paraglide/messages.js';
import { metres } from './location-format.js';

/** What the panel is given: its props, read when needed. */
export type LocationPanelProps = {
	value: RecordLocation | null;
	thresholdM: number;
	averageCount: number;
	onchange: (location: RecordLocation) => void;
	tracker?: GnssTracker | undefined;
};

export type PanelMessage = { kind: 'ok' | 'err'; text: string };

export function clampCount(n: number): number {
	return Number.isFinite(n) ? Math.min(600, Math.max(1, Math.round(n))) : DEFAULT_AVERAGE_COUNT;
}

/**
 * The GNSS panel's state without its markup: which receiver it reads, RTK, the averaging count,
 * a point waiting for its written reason, and the last message. Every accepted point goes out
 * through `onchange` as a valid `location`; the panel never writes the record itself.
 */
export class LocationPanelState {
	// Set by the constructor; declared first because the derived fields below read it.
	#props: () => LocationPanelProps = () => {
		throw new Error('LocationPanelState has no props yet');
	};
	readonly #own = new GnssTracker();
	/** Trackers this panel started, to stop when it goes away. */
	#started: GnssTracker[] = [];

	/** The point comes from an external RTK/北斗 receiver. */
	rtk = $state(false);
	/** How many fixes 开始平均 takes. */
	count = $state(DEFAULT_AVERAGE_COUNT);
	/** A point over the threshold, waiting for its reason. */
	pending = $state.raw<FixAverage | null>(null);
	reason = $state('');
	message = $state<PanelMessage | null>(null);

	constructor(props: () => LocationPanelProps) {
		this.#props = props;
		const initial = props();
		this.rtk = initial.value?.source === 'rtk';
		this.count = clampCount(initial.averageCount);
	}

	/** The receiver read: the shared one, else the panel's own. */
	readonly gnss = $derived(this.#props().tracker ?? this.#own);
	readonly countOptions = $derived(
		[5, 10, 20, 30, clampCount(this.#props().averageCount)]
			.filter((n, i, all) => all.indexOf(n) === i)
			.sort((a, b) => a - b)
	);
	/** What 采用此位置 takes: the mean while averaging, else the latest fix. */
	readonly candidate = $derived.by((): FixAverage | null => {
		const average = this.gnss.average;
		if (average) return average;
		return this.gnss.last ? averageFixes([this.gnss.last]) : null;
	});
	readonly averaging = $derived(this.gnss.averaging);
	readonly averageCountIn = $derived(this.averaging?.fixes.length ?? 0);
	readonly shownAccuracy = $derived(this.candidate?.accuracyM);
	readonly shownLevel = $derived(this.candidate ? accuracyLevel(this.shownAccuracy) : 'unknown');
	readonly overThreshold = $derived(
		this.candidate !== null && needsOverride(this.shownAccuracy, this.#props().thresholdM)
	);

	/** Starts looking for a record without a point; returns what stops the receivers. */
	mount(): () => void {
		if (!this.#props().value && this.gnss.status === 'idle') this.startWatching();
		return () => {
			this.#own.stop();
			for (const each of this.#started) each.stop();
			this.#started = [];
		};
	}

	startWatching(): void {
		this.#noteStart();
		this.gnss.start();
	}

	stopWatching(): void {
		this.gnss.stop();
		this.#started = this.#started.filter((each) => each !== this.gnss);
	}

	startAveraging(): void {
		this.#noteStart();
		this.pending = null;
		this.message = null;
		this.gnss.startAveraging(this.count);
	}

	/** 采用此位置: takes the candidate, or asks for a reason when it is over the threshold. */
	accept(): void {
		const point = this.candidate;
		if (!point) return;
		this.message = null;
		if (needsOverride(point.accuracyM, this.#props().thresholdM)) {
			this.pending = point;
			this.reason = '';
			return;
		}
		this.#commit(point);
	}

	confirmOverride(): void {
		if (this.pending && this.reason.trim()) this.#commit(this.pending, this.reason.trim());
	}

	cancelOverride(): void {
		this.pending = null;
	}

	/** 手动输入: a point typed in, already parsed. */
	acceptManual(lat: number, lon: number): void {
		this.#emit(
			() => toRecordLocation({ lat, lon, source: 'manual', fixedAt: toIsoWithOffset(Date.now()) }),
			() => m.loc_accepted({ source: LOCATION_SOURCE_LABEL.manual })
		);
	}

	#commit(point: FixAverage, overrideReason?: string): void {
		this.#emit(
			() =>
				toRecordLocation({
					lat: point.lat,
					lon: point.lon,
					altitude: point.altitude,
					accuracyM: point.accuracyM,
					samples: point.samples,
					source: this.rtk ? 'rtk' : 'gnss',
					fixedAt: point.fixedAt,
					overrideReason
				}),
			(location) =>
				m.loc_accepted_with_accuracy({
					source: LOCATION_SOURCE_LABEL[location.source],
					accuracy: metres(location.accuracyM)
				}),
			() => {
				this.pending = null;
				this.reason = '';
				this.gnss.cancelAveraging();
			}
		);
	}

	/** Makes the location, hands it on and says so, or says why it failed. */
	#emit(
		make: () => RecordLocation,
		said: (location: RecordLocation) => string,
		after?: () => void
	): void {
		try {
			const location = make();
			this.#props().onchange(location);
			after?.();
			this.message = { kind: 'ok', text: said(location) };
		} catch (error) {
			this.message = {
				kind: 'err',
				text: m.loc_failed({ reason: error instanceof Error ? error.message : '' })
			};
		}
	}

	#noteStart(): void {
		if (this.gnss.status !== 'watching' && !this.#started.includes(this.gnss)) {
			this.#started = [...this.#started, this.gnss];
		}
	}
}
