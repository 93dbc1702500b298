/**
 * The comparison table: one row per param, metric and tag key across the compared runs, with
 * whether the row differs (from the baseline run when there is one) and which runs hold the best
 * value of each metric.
 */
import type { Run } from '../db/rest-types';
import type { MetricRange } from '../db/queries';
import { fieldValue, lowerIsBetter, type FieldKind } from './values';

export type MetricStat = 'latest' | 'min' | 'max';

export interface DiffRow {
	kind: FieldKind;
	key: string;
	/** Per run, in the runs' order; undefined when the run lacks the key. */
	values: (string | number | undefined)[];
	/** The values are not all equal (a missing value differs from any present one). */
	differs: boolean;
	/** Per run: its value differs from the baseline run's. */
	changed: boolean[];
	/** Indexes of runs with the best value (metrics only). */
	best: number[];
}

export interface DiffOptions {
	stat?: MetricStat;
	/** Ranges per `${runId}\0${key}` for min/max stats. */
	ranges?: Map<string, MetricRange>;
	baseline?: number;
	onlyDifferences?: boolean;
	/** Case-insensitive substring filter on keys. */
	filter?: string;
}

function same(a: unknown, b: unknown): boolean {
	return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

export function diffRows(runs: Run[], opts: DiffOptions = {}): DiffRow[] {
	const stat = opts.stat ?? 'latest';
	const keys: Record<FieldKind, Set<string>> = { param: new Set(), metric: new Set(), tag: new Set() };
	for (const r of runs) {
		for (const p of r.data.params ?? []) keys.param.add(p.key);
		for (const m of r.data.metrics ?? []) keys.metric.add(m.key);
		for (const t of r.data.tags ?? []) if (!t.key.startsWith('mlflow.')) keys.tag.add(t.key);
	}
	const needle = opts.filter?.toLowerCase() ?? '';
	const rows: DiffRow[] = [];
	for (const kind of ['param', 'metric', 'tag'] as const) {
		for (const key of [...keys[kind]].sort()) {
			if (needle && !key.toLowerCase().includes(needle)) continue;
			const values = runs.map((r) => {
				if (kind !== 'metric' || stat === 'latest') return fieldValue(r, { kind, key });
				const range = opts.ranges?.get(`${r.info.run_id}\u0000${key}`);
				return range ? (range[stat] ?? NaN) : undefined;
			});
			const differs = values.some((v) => !same(v, values[0]));
			if (opts.onlyDifferences && !differs) continue;
			const base = opts.baseline !== undefined ? values[opts.baseline] : undefined;
			const changed = values.map((v, i) => opts.baseline !== undefined && i !== opts.baseline && !same(v, base));
			let best: number[] = [];
			if (kind === 'metric' && runs.length > 1) {
				const low = lowerIsBetter(key);
				let bestValue = low ? Infinity : -Infinity;
				values.forEach((v) => {
					if (typeof v === 'number' && Number.isFinite(v) && (low ? v < bestValue : v > bestValue)) bestValue = v;
				});
				if (Number.isFinite(bestValue) && differs) best = values.flatMap((v, i) => (v === bestValue ? [i] : []));
			}
			rows.push({ kind, key, values, differs, changed, best });
		}
	}
	return rows;
}
