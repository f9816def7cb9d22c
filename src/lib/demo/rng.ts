import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A weighted choice: `[value, weight]`. Weights need not sum to anything. */
export type Weighted<T> = readonly (readonly [T, number])[];

/**
 * A seeded pseudo-random source (xoroshiro128+ from pure-rand). It advances in place, so one
 * instance used in a fixed order always yields the same sequence for the same seed.
 */
export class Rng {
	private readonly gen: ReturnType<typeof xoroshiro128plus>;

	constructor(seed: number) {
		this.gen = xoroshiro128plus(seed | 0);
	}

	/** An integer in [min, max], both included. */
	int(min: number, max: number): number {
		return uniformInt(this.gen, min, max);
	}

	/** A float in [0, 1). */
	float(): number {
		return uniformFloat64(this.gen);
	}

	/** A float in [min, max). */
	between(min: number, max: number): number {
		return min + (max - min) * this.float();
	}

	/** A float whose logarithm is uniform in [log min, log max). */
	logBetween(min: number, max: number): number {
		return Math.exp(this.between(Math.log(min), Math.log(max)));
	}

	/** True with probability `p`. */
	chance(p: number): boolean {
		return this.float() < p;
	}

	/** One element of a non-empty list, uniformly. */
	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('Rng.pick: empty list');
		return items[this.int(0, items.length - 1)]!;
	}

	/** One value of a non-empty weighted list. */
	weighted<T>(items: Weighted<T>): T {
		let total = 0;
		for (const [, w] of items) total += w;
		if (!(total > 0)) throw new Error('Rng.weighted: no positive weight');
		let x = this.float() * total;
		for (const [value, w] of items) {
			x -= w;
			if (x < 0) return value;
		}
		return items[items.length - 1]![0];
	}

	/** Shuffles `items` in place (Fisher–Yates) and returns it. */
	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = this.int(0, i);
			const t = items[i]!;
			items[i] = items[j]!;
			items[j] = t;
		}
		return items;
	}

	/** `k` distinct elements of `items` (fewer if the list is shorter), in random order. */
	sample<T>(items: readonly T[], k: number): T[] {
		return this.shuffle(items.slice()).slice(0, Math.max(0, k));
	}
}
