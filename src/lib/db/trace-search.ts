/**
 * search_traces as SQL over `traces tr`: attributes on columns, tags and metadata on their tables,
 * `feedback.<name>` / `expectation.<name>` on the trace's valid assessments of that name, compared
 * with their JSON value decoded ('yes', 'true', '0.8'). Default order: newest first, then trace id
 * (SearchTraceUtils._get_sort_key's tiebreaks).
 */
import type { Clause, OrderBy } from '../search/parse';
import { compare, orderTerms, type SqlPart } from './filter-sql';

export const TRACE_COLUMNS: Record<string, string> = {
	trace_id: 'tr.trace_id',
	timestamp_ms: 'tr.request_time',
	execution_time_ms: 'tr.execution_duration',
	status: 'tr.state',
	name: 'tr.trace_name',
	run_id: 'tr.run_id',
	experiment_id: 'tr.experiment_id'
};

// An assessment's value as text: JSON strings unquoted, booleans as 'true'/'false', numbers as written.
const ASSESSMENT_VALUE = `CASE WHEN json_valid(a.value) THEN CASE json_type(a.value) WHEN 'text' THEN json_extract(a.value, '$')
	WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE a.value END ELSE a.value END`;

/**
 * The traces a tag, metadata or assessment clause keeps, as `tr.trace_id [NOT] IN (…)`: read from
 * the (key, value) index once rather than probed per trace. MLflow's meaning holds: a trace without
 * the key never matches a comparison, even `!=`; IS NULL keeps exactly those.
 */
function keyClause(c: Clause): SqlPart {
	const rows =
		c.type === 'tag'
			? 'SELECT trace_id, value FROM trace_tags WHERE key = ?'
			: c.type === 'metadata'
				? 'SELECT trace_id, value FROM trace_metadata WHERE key = ?'
				: `SELECT a.trace_id, ${ASSESSMENT_VALUE} AS value FROM assessments a WHERE a.name = ? AND a.assessment_type = '${c.type === 'feedback' ? 'feedback' : 'expectation'}' AND a.valid = 1`;
	if (c.comparator === 'IS NULL') return { sql: `tr.trace_id NOT IN (SELECT trace_id FROM (${rows}))`, params: [c.key] };
	if (c.comparator === 'IS NOT NULL') return { sql: `tr.trace_id IN (SELECT trace_id FROM (${rows}))`, params: [c.key] };
	const cmp = compare('k.value', c);
	return { sql: `tr.trace_id IN (SELECT k.trace_id FROM (${rows}) k WHERE ${cmp.sql})`, params: [c.key, ...cmp.params] };
}

export function traceFilterSql(clauses: Clause[]): SqlPart {
	const parts = clauses.map((c) => (c.type === 'attribute' ? compare(TRACE_COLUMNS[c.key], c) : keyClause(c)));
	return { sql: parts.map((p) => p.sql).join(' AND ') || '1', params: parts.flatMap((p) => p.params) };
}

export function traceOrderSql(orders: OrderBy[]): string {
	const terms = orderTerms(orders, TRACE_COLUMNS);
	if (!orders.some((o) => o.key === 'timestamp_ms')) terms.push('tr.request_time DESC');
	if (!orders.some((o) => o.key === 'trace_id')) terms.push('tr.trace_id ASC');
	return terms.join(', ');
}
