/**
 * The span tree of the trace view, over the span rows the worker sends (SpanRow, by start time):
 * parent links by id, children in start order, and the rows a tree with some nodes expanded shows
 * (preorder). Built once per trace in O(n); a 30,000-span trace builds in a few ms, and listing the
 * visible rows is O(visible), so expanding a node never walks the whole tree.
 */
import type { SpanRow } from '../db/trace-queries';

export interface SpanTree {
	rows: SpanRow[];
	/** Parent's index, -1 for a root (no parent, or a parent not in the trace). */
	parent: Int32Array;
	depth: Int32Array;
	/** Position of each span inside its chunk (the chunk's JSON array). */
	inChunk: Int32Array;
	children: number[][];
	roots: number[];
	/** Earliest start and latest end (ns), for the timeline. */
	start: number;
	end: number;
}

export function buildSpanTree(rows: SpanRow[]): SpanTree {
	const n = rows.length;
	const byId = new Map<string, number>();
	rows.forEach((r, i) => byId.set(r[0], i));
	const parent = new Int32Array(n).fill(-1);
	const depth = new Int32Array(n);
	const inChunk = new Int32Array(n);
	const children: number[][] = Array.from({ length: n }, () => []);
	const roots: number[] = [];
	const perChunk = new Map<number, number>();
	let start = Infinity;
	let end = -Infinity;
	for (let i = 0; i < n; i++) {
		const r = rows[i];
		const p = r[1] === null ? undefined : byId.get(r[1]);
		// A span that names itself or a later ancestor loop would never be reached: make it a root.
		if (p !== undefined && p !== i) {
			parent[i] = p;
			children[p].push(i);
		} else roots.push(i);
		const c = perChunk.get(r[7]) ?? 0;
		inChunk[i] = c;
		perChunk.set(r[7], c + 1);
		if (r[5] !== null && r[5] < start) start = r[5];
		const e = r[6] ?? r[5];
		if (e !== null && e > end) end = e;
	}
	// Depth by walking down from the roots; spans caught in a parent loop are never reached and
	// become roots too, so every span is shown once.
	const reached = new Uint8Array(n);
	const stack = [...roots];
	for (const r of roots) reached[r] = 1;
	while (stack.length) {
		const i = stack.pop()!;
		for (const c of children[i]) {
			if (reached[c]) continue;
			reached[c] = 1;
			depth[c] = depth[i] + 1;
			stack.push(c);
		}
	}
	for (let i = 0; i < n; i++) {
		if (reached[i]) continue;
		const p = parent[i];
		if (p >= 0) children[p] = children[p].filter((c) => c !== i);
		parent[i] = -1;
		roots.push(i);
		reached[i] = 1;
		const sub = [i];
		while (sub.length) {
			const j = sub.pop()!;
			for (const c of children[j]) {
				if (reached[c]) continue;
				reached[c] = 1;
				depth[c] = depth[j] + 1;
				sub.push(c);
			}
		}
	}
	if (start === Infinity) start = end = 0;
	return { rows, parent, depth, inChunk, children, roots, start, end: Math.max(end, start) };
}

/** The spans shown, in tree order, when the spans in `expanded` show their children. */
export function visibleSpans(tree: SpanTree, expanded: Set<number>): number[] {
	const out: number[] = [];
	const stack = [...tree.roots].reverse();
	while (stack.length) {
		const i = stack.pop()!;
		out.push(i);
		if (expanded.has(i)) for (let k = tree.children[i].length - 1; k >= 0; k--) stack.push(tree.children[i][k]);
	}
	return out;
}

/** What opens first: everything for a small trace; the roots and their children for a big one. */
export function initialExpanded(tree: SpanTree, all = 500): Set<number> {
	if (tree.rows.length <= all) return new Set(tree.children.flatMap((c, i) => (c.length ? [i] : [])));
	return new Set(tree.roots);
}

/** The chain of ancestors of a span, root first (to reveal it in the tree). */
export function ancestors(tree: SpanTree, i: number): number[] {
	const out: number[] = [];
	for (let p = tree.parent[i]; p >= 0 && out.length < tree.rows.length; p = tree.parent[p]) out.unshift(p);
	return out;
}
