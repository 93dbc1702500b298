/**
 * Hints for a runs filter that parses but names keys no run has: MLflow answers such a filter with
 * no runs and no word, and a typo (`val_acuracy`) looks like an empty result. Each unknown metric,
 * param or tag key gets a line, with the closest known key when one is near.
 */
import type { Clause } from './parse';

export interface KnownKeys {
	metrics: readonly string[];
	params: readonly string[];
	tags: readonly string[];
}

/**
 * Edit distance with a swap of two neighbouring letters as one edit (`rnus` is one from `runs`),
 * stopping early past `max`.
 */
function distance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let before: number[] = [];
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
			best = Math.min(best, cur[j]);
		}
		if (best > max) return max + 1;
		before = prev;
		prev = cur;
	}
	return prev[b.length];
}

/** The candidate closest to `word`: a case difference, or up to a third of its letters (at most 3) changed. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
	const max = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
	let near: string | undefined;
	let best = max + 1;
	for (const k of candidates) {
		const d = k.toLowerCase() === word.toLowerCase() ? 0 : distance(word, k, max);
		if (d < best) [near, best] = [k, d];
	}
	return near;
}

const LABEL = { metric: 'metric', parameter: 'param', tag: 'tag' } as const;

export function unknownKeyHints(clauses: Clause[], known: KnownKeys): string[] {
	const hints: string[] = [];
	for (const c of clauses) {
		if (c.type !== 'metric' && c.type !== 'parameter' && c.type !== 'tag') continue;
		// IS NULL asks for runs without the key: a key no run has is an answer, not a typo.
		if (c.comparator === 'IS NULL') continue;
		const keys = c.type === 'metric' ? known.metrics : c.type === 'parameter' ? known.params : known.tags;
		if (keys.includes(c.key)) continue;
		const near = nearest(c.key, keys);
		hints.push(`No run has ${LABEL[c.type]} \`${c.key}\`${near !== undefined ? `; did you mean \`${near}\`?` : '.'}`);
	}
	return hints;
}
