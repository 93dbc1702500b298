/**
 * search_traces as SQL over `traces tr`: attributes on columns, tags and metadata on their tables,
 * `feedback.<name>` / `expectation.<name>` on the trace's valid assessments of that name, compared
 * with their JSON value decoded ('yes', 'true', '0.8'). Default order: newest first, then trace id
 * (SearchTraceUtils._get_sort_key's tiebreaks).
 */
import type { Clause, OrderBy } from '../search/parse';
import { compare, keyValueClause, orderTerms, type SqlPart } from './filter-sql';

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

function rowForKey(c: Clause): string {
	switch (c.type) {
		case 'tag':
			return 'SELECT 1 FROM trace_tags t WHERE t.trace_id = tr.trace_id AND t.key = ?';
		case 'metadata':
			return 'SELECT 1 FROM trace_metadata t WHERE t.trace_id = tr.trace_id AND t.key = ?';
		default:
			return `SELECT 1 FROM (SELECT a.trace_id, a.name AS key, ${ASSESSMENT_VALUE} AS value FROM assessments a
				WHERE a.valid = 1 AND a.assessment_type = '${c.type === 'feedback' ? 'feedback' : 'expectation'}') t
				WHERE t.trace_id = tr.trace_id AND t.key = ?`;
	}
}

export function traceFilterSql(clauses: Clause[]): SqlPart {
	const parts = clauses.map((c) => (c.type === 'attribute' ? compare(TRACE_COLUMNS[c.key], c) : keyValueClause(rowForKey(c), c)));
	return { sql: parts.map((p) => p.sql).join(' AND ') || '1', params: parts.flatMap((p) => p.params) };
}

export function traceOrderSql(orders: OrderBy[]): string {
	const terms = orderTerms(orders, TRACE_COLUMNS);
	if (!orders.some((o) => o.key === 'timestamp_ms')) terms.push('tr.request_time DESC');
	if (!orders.some((o) => o.key === 'trace_id')) terms.push('tr.trace_id ASC');
	return terms.join(', ');
}
