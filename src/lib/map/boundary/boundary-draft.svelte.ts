import type { Boundary } from '$lib/domain/schemas/common.js';
import { geodesicAreaM2, validatePolygonal } from '$lib/domain/geometry/measure.js';
import {
	appendVertex,
	boundaryFromParts,
	isCompletePart,
	outerVertexCount,
	partsContacts,
	partsFromBoundary,
	removePart,
	replacePart,
	type Part,
	type Vertex
} from '$lib/domain/geometry/boundary-edit.js';

/** What 清除边界 or 删除此部分 asks to confirm. */
export type Confirm = { kind: 'clear' } | { kind: 'part'; index: number };
type Snapshot = { parts: Part[]; active: number | null };

/** Undo steps kept. */
const HISTORY = 50;

/**
 * The 本体边界 being edited, without a map: its parts, the part being drawn, undo, what is being
 * confirmed, and what the check says. Each edit reports the boundary through `onchange`, once
 * per real change; `load` takes a boundary from outside (its own echo is not loaded again).
 */
export class BoundaryDraft {
	#parts = $state.raw<Part[]>([]);
	#active = $state<number | null>(null);
	#live = $state.raw<{ index: number; part: Part } | null>(null);
	#history = $state.raw<Snapshot[]>([]);
	#confirming = $state<Confirm | null>(null);
	#loads = $state(0);
	/** The boundary last emitted or received, as JSON. */
	#lastSeen = '';
	readonly #onchange: (boundary: Boundary | null) => void;

	constructor(onchange: (boundary: Boundary | null) => void) {
		this.#onchange = onchange;
	}

	/** The boundary being edited: parts of open `[lon, lat]` rings. */
	get parts(): Part[] {
		return this.#parts;
	}
	/** The part being drawn (`parts.length` for a new part not started yet), or null. */
	get active(): number | null {
		return this.#active;
	}
	get confirming(): Confirm | null {
		return this.#confirming;
	}
	get canUndo(): boolean {
		return this.#history.length > 0;
	}
	/** Counts the boundaries loaded from outside: a map frames each one. */
	get loads(): number {
		return this.#loads;
	}

	readonly drawing = $derived(this.#active !== null);
	readonly activeCount = $derived(outerVertexCount(this.#parts, this.#active));
	/** The parts as shown now: with the one whose vertex is being dragged as it is dragged. */
	readonly shown = $derived(
		this.#live ? replacePart(this.#parts, this.#live.index, this.#live.part) : this.#parts
	);
	readonly #geometry = $derived(boundaryFromParts(this.shown));
	readonly #validation = $derived(this.#geometry ? validatePolygonal(this.#geometry) : null);
	readonly issues = $derived(
		this.#validation && !this.#validation.ok ? this.#validation.issues : []
	);
	readonly badParts = $derived(
		this.shown.map((p) => isCompletePart(p) && !validatePolygonal(boundaryFromParts([p])).ok)
	);
	/** Where rings cross or touch themselves. */
	readonly contacts = $derived(partsContacts(this.shown));
	readonly areaM2 = $derived.by(() => {
		const area = this.#geometry ? geodesicAreaM2(this.#geometry) : null;
		return area?.ok ? area.value : null;
	});
	readonly partAreas = $derived(
		this.#parts.map((part) => {
			const a = geodesicAreaM2(boundaryFromParts([part]));
			return a.ok ? a.value : null;
		})
	);
	readonly completeCount = $derived(this.#parts.filter(isCompletePart).length);
	readonly canFinish = $derived(this.drawing && (this.activeCount === 0 || this.activeCount >= 3));
	readonly canAddPart = $derived(
		this.completeCount > 0 && (!this.drawing || this.activeCount >= 3)
	);

	/** A boundary from outside replaces what is being edited, unless it is this draft's echo. */
	load(incoming: Boundary | null): void {
		const json = JSON.stringify(incoming);
		if (json === this.#lastSeen) return;
		this.#lastSeen = json;
		this.#parts = partsFromBoundary(incoming);
		this.#active = null;
		this.#live = null;
		this.#history = [];
		this.#confirming = null;
		this.#loads++;
	}

	addVertex(vertex: Vertex): void {
		const index = this.#active ?? this.#parts.length;
		this.#change(appendVertex(this.#parts, index, vertex), index);
	}

	startDrawing(): void {
		this.#confirming = null;
		// With no part yet, draw the first; otherwise go on adding vertices to the last part.
		this.#active = Math.max(0, this.#parts.length - 1);
	}

	finish(): void {
		if (this.canFinish) this.#active = null;
	}

	addPart(): void {
		if (!this.canAddPart) return;
		this.#confirming = null;
		this.#active = this.#parts.length;
	}

	/** A vertex of a part being dragged: shown (and checked) live, not yet an edit. */
	drag(index: number, part: Part): void {
		this.#live = { index, part };
	}

	/** A part as the map edited it (a vertex moved, inserted or removed). */
	edit(index: number, part: Part): void {
		this.#change(replacePart(this.#parts, index, part));
	}

	undo(): void {
		const last = this.#history[this.#history.length - 1];
		if (!last) return;
		this.#history = this.#history.slice(0, -1);
		this.#parts = last.parts;
		this.#active = last.active;
		this.#live = null;
		this.#emitIfChanged(this.#parts);
	}

	ask(what: Confirm): void {
		this.#confirming = what;
	}

	cancel(): void {
		this.#confirming = null;
	}

	confirm(): void {
		const what = this.#confirming;
		this.#confirming = null;
		if (what?.kind === 'clear') this.#change([], null);
		if (what?.kind === 'part') {
			const a = this.#active;
			const nextActive = a === null || a === what.index ? null : a > what.index ? a - 1 : a;
			this.#change(removePart(this.#parts, what.index), nextActive);
		}
	}

	/** Applies an edit (undoable) and reports the boundary when it changed. */
	#change(next: Part[], nextActive: number | null = this.#active): void {
		this.#history = [
			...this.#history.slice(-(HISTORY - 1)),
			{ parts: this.#parts, active: this.#active }
		];
		this.#parts = next;
		this.#active = nextActive;
		this.#live = null;
		this.#emitIfChanged(next);
	}

	#emitIfChanged(next: readonly Part[]): void {
		const b = boundaryFromParts(next);
		const json = JSON.stringify(b);
		if (json === this.#lastSeen) return;
		this.#lastSeen = json;
		this.#onchange(b);
	}
}
