/**
 * The runs table's model, apart from its rendering: columns (MLflow's fixed ones plus chosen
 * params, metrics and tags), the nested-run tree over a searched order, and the CSV download.
 */
import type { Run } from './db/rest-types';
import { formatDuration, formatTime } from './format';
import { runName, tagValue } from './runs';

export type ColumnKind = 'param' | 'metric' | 'tag';
/** A chosen column, written as in MLflow's search language: `params.lr`, `metrics.loss`, `tags.team`. */
export interface KeyColumn {
	kind: ColumnKind;
	key: string;
}

const PREFIX: Record<ColumnKind, string> = { param: 'params', metric: 'metrics', tag: 'tags' };

export function columnId(c: KeyColumn): string {
	return `${PREFIX[c.kind]}.${c.key}`;
}

export function parseColumnId(id: string): KeyColumn | undefined {
	const dot = id.indexOf('.');
	const kind = (Object.keys(PREFIX) as ColumnKind[]).find((k) => PREFIX[k] === id.slice(0, dot));
	return kind && dot > 0 ? { kind, key: id.slice(dot + 1) } : undefined;
}

/** An order_by clause for a column, quoting keys that are not plain identifiers. */
export function orderByFor(c: KeyColumn, ascending: boolean): string {
	const key = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(c.key) ? c.key : `\`${c.key.replace(/`/g, '``')}\``;
	return `${PREFIX[c.kind]}.${key} ${ascending ? 'ASC' : 'DESC'}`;
}

export function cellValue(run: Run, c: KeyColumn): string | number | undefined {
	if (c.kind === 'param') return run.data.params?.find((p) => p.key === c.key)?.value;
	if (c.kind === 'tag') return tagValue(run, c.key);
	const v = run.data.metrics?.find((m) => m.key === c.key)?.value;
	return v === undefined ? undefined : typeof v === 'string' ? v : v;
}

export interface TreeRow {
	run: Run;
	depth: number;
	childCount: number;
}

/**
 * Rows in search order with each child run right under its parent (`mlflow.parentRunId`), as
 * far as the parent is itself in the result; children of a collapsed parent are left out.
 */
export function treeRows(ordered: Run[], collapsed: ReadonlySet<string>): TreeRow[] {
	const present = new Set(ordered.map((r) => r.info.run_id));
	const children = new Map<string, Run[]>();
	const roots: Run[] = [];
	for (const r of ordered) {
		const parent = tagValue(r, 'mlflow.parentRunId');
		if (parent && parent !== r.info.run_id && present.has(parent)) {
			let list = children.get(parent);
			if (!list) children.set(parent, (list = []));
			list.push(r);
		} else roots.push(r);
	}
	const out: TreeRow[] = [];
	const seen = new Set<string>();
	const visit = (r: Run, depth: number) => {
		if (seen.has(r.info.run_id)) return; // a parent cycle in bad data
		seen.add(r.info.run_id);
		const kids = children.get(r.info.run_id) ?? [];
		out.push({ run: r, depth, childCount: kids.length });
		if (!collapsed.has(r.info.run_id)) for (const k of kids) visit(k, depth + 1);
	};
	for (const r of roots) visit(r, 0);
	return out;
}

/** Spreadsheet programs run a cell that starts with = + - @ as a formula; MLflow prefixes a quote. */
function csvCell(v: string | number | undefined | null): string {
	if (v === undefined || v === null) return '';
	let s = String(v);
	if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** MLflow's runs.csv: fixed columns, then params, metrics and tags. */
export function runsCsv(runs: Run[], columns: { params: string[]; metrics: string[]; tags: string[] }): string {
	const header = ['Start Time', 'Duration', 'Run ID', 'Name', 'Source Type', 'Source Name', 'User', 'Status', ...columns.params, ...columns.metrics, ...columns.tags];
	const lines = [header.map(csvCell).join(',')];
	for (const r of runs) {
		lines.push(
			[
				formatTime(r.info.start_time),
				formatDuration(r.info.start_time, r.info.end_time),
				r.info.run_id,
				runName(r),
				tagValue(r, 'mlflow.source.type'),
				tagValue(r, 'mlflow.source.name'),
				r.info.user_id,
				r.info.status,
				...columns.params.map((k) => cellValue(r, { kind: 'param', key: k })),
				...columns.metrics.map((k) => cellValue(r, { kind: 'metric', key: k })),
				...columns.tags.map((k) => cellValue(r, { kind: 'tag', key: k }))
			]
				.map(csvCell)
				.join(',')
		);
	}
	return lines.join('\n') + '\n';
}

/** MLflow's time filter: runs started within the last hour, day, week, month or year. */
export const TIME_FILTERS: Record<string, { label: string; ms: number }> = {
	'1h': { label: 'Last hour', ms: 3_600_000 },
	'24h': { label: 'Last 24 hours', ms: 86_400_000 },
	'7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
	'30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
	'1y': { label: 'Last year', ms: 365 * 86_400_000 }
};

/** The filter sent to the store: the user's, plus the time filter as MLflow appends it. */
export function effectiveFilter(filter: string, time: string | null, now: number): string {
	const t = time ? TIME_FILTERS[time] : undefined;
	if (!t) return filter;
	const clause = `attributes.start_time >= ${now - t.ms}`;
	return filter.trim() ? `${filter} and ${clause}` : clause;
}
