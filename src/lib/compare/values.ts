/**
 * What the comparison charts plot per run: a param, a metric (latest, min or max) or a tag, read
 * from the runs already loaded. Params and tags are strings in MLflow; an axis is numeric when
 * every present value parses as a number, else categorical.
 */
import type { Run } from '../db/rest-types';

export type FieldKind = 'param' | 'metric' | 'tag';
export interface Field {
	kind: FieldKind;
	key: string;
}

/** `metrics.loss`, `params.lr`, `tags.team`: MLflow's own prefixes, used in URLs too. */
export function fieldId(f: Field): string {
	return `${f.kind}s.${f.key}`;
}

export function parseField(id: string): Field | undefined {
	const m = /^(param|metric|tag)s\.(.+)$/.exec(id);
	return m ? { kind: m[1] as FieldKind, key: m[2] } : undefined;
}

export function fieldValue(run: Run, f: Field): string | number | undefined {
	const list = f.kind === 'param' ? run.data.params : f.kind === 'tag' ? run.data.tags : undefined;
	if (list) return list.find((x) => x.key === f.key)?.value;
	const m = run.data.metrics?.find((x) => x.key === f.key);
	if (!m) return undefined;
	return typeof m.value === 'number' ? m.value : m.value === 'Infinity' ? Infinity : m.value === '-Infinity' ? -Infinity : NaN;
}

export interface Axis {
	field: Field;
	numeric: boolean;
	/** Per run, in run order: a number (numeric axis) or a category index; NaN when missing. */
	values: Float64Array;
	categories: string[];
	min: number;
	max: number;
}

export function axisOf(runs: Run[], field: Field): Axis {
	const raw = runs.map((r) => fieldValue(r, field));
	const present = raw.filter((v): v is string | number => v !== undefined && v !== '');
	const numeric = present.length > 0 && present.every((v) => typeof v === 'number' || (v.trim() !== '' && Number.isFinite(Number(v))));
	const categories = numeric ? [] : [...new Set(present.map(String))].sort(naturalCompare);
	const index = new Map(categories.map((c, i) => [c, i]));
	const values = Float64Array.from(raw, (v) => (v === undefined || v === '' ? NaN : numeric ? Number(v) : (index.get(String(v)) ?? NaN)));
	let min = Infinity;
	let max = -Infinity;
	for (const v of values) {
		if (!Number.isFinite(v)) continue;
		if (v < min) min = v;
		if (v > max) max = v;
	}
	if (!numeric) [min, max] = [0, Math.max(0, categories.length - 1)];
	return { field, numeric, values, categories, min, max };
}

/** Whether the runs differ on this axis: a constant field makes an empty plot axis. */
export function varies(axis: Axis): boolean {
	return axis.numeric ? axis.max > axis.min : axis.categories.length > 1;
}

/** "lr=1e-3" < "lr=1e-2", "run 2" < "run 10". */
export function naturalCompare(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
	return a.localeCompare(b, undefined, { numeric: true });
}

/** MLflow-style guess of a metric's direction, for "best value" highlights. */
export function lowerIsBetter(key: string): boolean {
	return /loss|err|rmse|mse|mae|mape|perplexity|wer|cer|latency|time|duration|fpr|fnr/i.test(key);
}
