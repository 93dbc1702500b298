/**
 * The CLI's listings as CSV or as a table for a terminal. JSON stays MLflow's REST shape (main.ts);
 * these flatten it: scalar fields as they are, `{key, value}` lists as one column per key
 * (`metrics.loss`, `params.lr`, `tags.team`), a run's `info` and `data` as its own fields.
 */
import type { Run } from '../lib/db/rest-types';
import { runsCsv } from '../lib/runs-table';

export interface Flat {
	columns: string[];
	rows: Record<string, string>[];
}

const isKeyValues = (v: unknown[]): v is { key: string; value: unknown }[] =>
	v.every((x) => x !== null && typeof x === 'object' && 'key' in x && 'value' in x);

function flatten(value: object, prefix: string, out: Record<string, string>): void {
	for (const [k, v] of Object.entries(value)) {
		// run_uuid repeats run_id (MLflow keeps both for old clients).
		if (v === null || v === undefined || k === 'run_uuid') continue;
		const name = prefix ? `${prefix}.${k}` : k;
		if (Array.isArray(v)) {
			if (v.length && isKeyValues(v)) for (const x of v) out[`${k}.${x.key}`] = String(x.value);
			else if (v.length) out[name] = JSON.stringify(v);
		} else if (typeof v === 'object') flatten(v, k === 'info' || k === 'data' ? '' : name, out);
		else out[name] = String(v);
	}
}

/** What a reader looks for first: a run's id, name, status and start, then its metrics and params. */
const FIRST = ['run_id', 'run_name', 'status', 'start_time', 'trace_id', 'state', 'experiment_id', 'name', 'version', 'current_stage'];
const rank = (c: string) =>
	FIRST.includes(c)
		? 0
		: c.startsWith('metrics.')
			? 2
			: c.startsWith('params.')
				? 3
				: c.startsWith('tags.mlflow.')
					? 6
					: c.startsWith('tags.')
						? 4
						: 5;
const order = (c: string) => (FIRST.includes(c) ? FIRST.indexOf(c) : 0);

export function flatRows(_key: string, items: object[]): Flat {
	const rows = items.map((item) => {
		const out: Record<string, string> = {};
		flatten(item, '', out);
		return out;
	});
	const seen = new Map<string, number>();
	for (const r of rows) for (const c of Object.keys(r)) if (!seen.has(c)) seen.set(c, seen.size);
	const columns = [...seen.keys()].sort((a, b) => rank(a) - rank(b) || order(a) - order(b) || seen.get(a)! - seen.get(b)!);
	return { columns, rows };
}

/** The runs table's CSV (MLflow's runs.csv): every param and metric, and the user's tags. */
export function runsTableCsv(runs: Run[]): string {
	const keys = (pick: (r: Run) => { key: string }[] | undefined, keep = (_k: string) => true) =>
		[...new Set(runs.flatMap((r) => (pick(r) ?? []).map((x) => x.key)))].filter(keep).sort();
	return runsCsv(runs, {
		params: keys((r) => r.data.params),
		metrics: keys((r) => r.data.metrics),
		tags: keys(
			(r) => r.data.tags,
			(k) => !k.startsWith('mlflow.')
		)
	});
}

/** Spreadsheet formulas are not run from a cell (OWASP's CSV injection list), as in the runs CSV. */
function csvCell(s: string | undefined): string {
	if (s === undefined) return '';
	const safe = /^[\t\r\n ]*[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s.trim()) ? `'${s}` : s;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv({ columns, rows }: Flat): string {
	return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

/** The widest a column gets before its cells are cut with an ellipsis. */
const MAX_CELL = 40;

/**
 * Aligned columns that fit `width` terminal columns: as many columns as fit, in order, each as wide
 * as its widest cell (at most MAX_CELL); the columns left out are named on the last line.
 */
export function toTable(flat: Flat, width: number): string {
	const columns = flat.columns;
	// Times in milliseconds since the epoch read as UTC dates in a table.
	const isTime = (c: string) => /(_time|_timestamp|^timestamp_ms|request_time)$/.test(c);
	const rows = flat.rows.map((r) =>
		Object.fromEntries(
			Object.entries(r).map(([c, v]) => [
				c,
				isTime(c) && /^\d{12,14}$/.test(v) ? new Date(Number(v)).toISOString().slice(0, 19).replace('T', ' ') : v
			])
		)
	);
	const cut = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s);
	// A loop, not Math.max(...cells): a table of 100,000 runs would overflow the call stack.
	const widths = columns.map((c) => {
		let w = c.length;
		for (const r of rows) w = Math.max(w, (r[c] ?? '').replace(/\s+/g, ' ').length);
		return Math.min(MAX_CELL, w);
	});
	const shown: number[] = [];
	let used = 0;
	for (let i = 0; i < columns.length; i++) {
		if (shown.length && used + 2 + widths[i] > width) break;
		shown.push(i);
		used += (shown.length > 1 ? 2 : 0) + widths[i];
	}
	const line = (cells: string[]) =>
		shown
			.map((i, n) => cut(cells[n].replace(/\s+/g, ' '), widths[i]).padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	const out = [line(shown.map((i) => columns[i])), shown.map((i) => '-'.repeat(widths[i])).join('  ')];
	for (const r of rows) out.push(line(shown.map((i) => r[columns[i]] ?? '')));
	const left = columns.length - shown.length;
	if (left) {
		const note = `; --format csv or json has them all)`;
		const head = `(${left} more column${left === 1 ? '' : 's'}: ${columns.slice(shown.length).join(', ')}`;
		out.push(head.length + note.length <= width ? head + note : `${head.slice(0, Math.max(20, width - note.length - 1))}…${note}`);
	}
	return out.join('\n') + '\n';
}
