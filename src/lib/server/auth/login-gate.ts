/**
 * The gate every password check goes through (issue 10 point 4), so that a flood of logins
 * slows only itself.
 *
 * - A password check (scrypt, 32 MiB and about 0.2 s of a core) runs on libuv's thread pool,
 *   which file I/O shares: at most `inFlight` run at once (one fewer than the cores, at most
 *   four), so the pool always has threads left for the photo store and the database's files,
 *   and a core is left for the event loop.
 * - At most `queued` more wait; one client address may hold at most `perAddress` of the running
 *   and waiting places. Past either, the login is refused at once with a wait to retry after.
 * - A refused login is answered after `holdMs`, so a client that retries at once is slowed too.
 * - Failed logins are counted per client address (in memory: a flood writes nothing); past
 *   `addressFailures` within `windowMs` the address is refused until the oldest leaves the
 *   window. The per-username limit of contract §3 is kept in the database beside it.
 */
import { availableParallelism } from 'node:os';

export type GateOptions = {
	inFlight: number;
	queued: number;
	perAddress: number;
	addressFailures: number;
	windowMs: number;
	/** Roughly how long one check takes, for the Retry-After of a refusal. */
	checkMs: number;
	/** How long a refused login is held before it is answered (a tarpit for floods). */
	holdMs: number;
};

export const LOGIN_GATE_DEFAULTS: GateOptions = {
	// one core stays with the event loop (sync, photos, pages): on 2 cores one check at a time
	inFlight: Math.max(1, Math.min(4, availableParallelism() - 1)),
	queued: 16,
	perAddress: 4,
	addressFailures: 100,
	windowMs: 10 * 60 * 1000,
	checkMs: 250,
	holdMs: 1000
};

/** Addresses remembered at most (the oldest are forgotten first). */
const MAX_ADDRESSES = 50_000;

export type GateOutcome<T> = { ok: true; value: T } | { ok: false; retryAfter: number };

export class LoginGate {
	readonly options: GateOptions;
	#running = 0;
	#waiting: (() => void)[] = [];
	#held = new Map<string, number>();
	#failures = new Map<string, number[]>();

	constructor(options: Partial<GateOptions> = {}) {
		this.options = { ...LOGIN_GATE_DEFAULTS, ...options };
	}

	/** Seconds this address must wait because of its failed logins, or 0. */
	addressWait(address: string, now = Date.now()): number {
		const times = this.#recent(address, now);
		if (times.length < this.options.addressFailures) return 0;
		return Math.max(1, Math.ceil((times[0]! + this.options.windowMs - now) / 1000));
	}

	recordFailure(address: string, now = Date.now()): void {
		const times = this.#recent(address, now);
		times.push(now);
		this.#failures.delete(address);
		this.#failures.set(address, times);
		if (this.#failures.size > MAX_ADDRESSES) {
			const oldest = this.#failures.keys().next().value;
			if (oldest !== undefined) this.#failures.delete(oldest);
		}
	}

	/** Runs `check` when a place is free; refused at once when the queue or the address is full. */
	async run<T>(address: string, check: () => Promise<T>): Promise<GateOutcome<T>> {
		const { inFlight, queued, perAddress } = this.options;
		const held = this.#held.get(address) ?? 0;
		if (held >= perAddress || (this.#running >= inFlight && this.#waiting.length >= queued)) {
			return { ok: false, retryAfter: this.#busyWait() };
		}
		this.#held.set(address, held + 1);
		try {
			if (this.#running >= inFlight) {
				await new Promise<void>((resolve) => this.#waiting.push(resolve));
			} else {
				this.#running++;
			}
			try {
				return { ok: true, value: await check() };
			} finally {
				const next = this.#waiting.shift();
				// the place passes straight to the next in line
				if (next) next();
				else this.#running--;
			}
		} finally {
			const left = (this.#held.get(address) ?? 1) - 1;
			if (left > 0) this.#held.set(address, left);
			else this.#held.delete(address);
		}
	}

	/** Resolves to `refusal` after `holdMs`: the answer to a refused login. */
	holdRefusal<T>(refusal: T): Promise<T> {
		return new Promise((resolve) => setTimeout(() => resolve(refusal), this.options.holdMs));
	}

	#busyWait(): number {
		const ahead = this.#running + this.#waiting.length;
		const seconds = (ahead * this.options.checkMs) / this.options.inFlight / 1000;
		return Math.min(30, Math.max(1, Math.ceil(seconds)));
	}

	#recent(address: string, now: number): number[] {
		const times = this.#failures.get(address);
		if (!times) return [];
		const from = now - this.options.windowMs;
		const kept = times.filter((t) => t > from);
		if (kept.length === 0) this.#failures.delete(address);
		return kept;
	}
}
