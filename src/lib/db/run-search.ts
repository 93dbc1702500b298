/**
 * MLflow's run search (parsed by lib/search) as SQL over the store: each clause becomes one
 * condition on the run row `r`, each order_by key a LEFT JOIN plus sort terms. Semantics follow
 * MLflow's SQL store: a missing key never matches (even `!=`), metrics compare their latest value,
 * LIKE is case-sensitive (GLOB) and ILIKE is not, sorting puts NaN and then missing values last.
 */
import type { SqlValue } from 'sql.js';
import type { Clause, OrderBy } from '../search/parse';
import { compare, keyValueClause, type SqlPart } from './filter-sql';

const ATTRIBUTE_COLUMNS: Record<string, string> = {
	run_id: 'r.run_uuid',
	run_name: 'r.name',
	user_id: 'r.user_id',
	status: 'r.status',
	artifact_uri: 'r.artifact_uri',
	start_time: 'r.start_time',
	end_time: 'r.end_time'
};

export function clauseSql(c: Clause): SqlPart {
	switch (c.type) {
		case 'attribute':
			return compare(ATTRIBUTE_COLUMNS[c.key], c);
		case 'metric': {
			const cmp = compare('m.value', c);
			return {
				sql: `EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ? AND ${cmp.sql})`,
				params: [c.key, ...cmp.params]
			};
		}
		case 'parameter':
		case 'tag': {
			const table = c.type === 'parameter' ? 'params' : 'tags';
			return keyValueClause(`SELECT 1 FROM ${table} t WHERE t.run_uuid = r.run_uuid AND t.key = ?`, c);
		}
		case 'dataset': {
			// Each clause asks "does any of the run's inputs match", as MLflow evaluates them.
			if (c.key === 'context') {
				const cmp = compare('t.value', c);
				return {
					sql: `EXISTS (SELECT 1 FROM inputs i JOIN input_tags t ON t.input_uuid = i.input_uuid
						WHERE i.destination_id = r.run_uuid AND i.source_type = 'DATASET' AND t.name = 'mlflow.data.context' AND ${cmp.sql})`,
					params: cmp.params
				};
			}
			const cmp = compare(`d.${c.key}`, c);
			return {
				sql: `EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
					WHERE i.destination_id = r.run_uuid AND i.source_type = 'DATASET' AND ${cmp.sql})`,
				params: cmp.params
			};
		}
		default:
			// The runs grammar parses no trace entities (metadata, feedback, expectation).
			throw new Error(`no run search on ${c.type}`);
	}
}

export function filterSql(clauses: Clause[]): SqlPart {
	const parts = clauses.map(clauseSql);
	return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** Joins and ORDER BY terms; MLflow's tiebreak (start_time DESC, run_id) always comes last. */
export function orderSql(orders: OrderBy[]): { joins: SqlPart; orderBy: string } {
	const joins: string[] = [];
	const params: SqlValue[] = [];
	const terms: string[] = [];
	orders.forEach((o, i) => {
		const dir = o.ascending ? 'ASC' : 'DESC';
		if (o.type === 'attribute') {
			const col = ATTRIBUTE_COLUMNS[o.key];
			terms.push(`(${col} IS NULL)`, `${col} ${dir}`);
		} else if (o.type === 'metric') {
			joins.push(`LEFT JOIN latest_metrics o${i} ON o${i}.run_uuid = r.run_uuid AND o${i}.key = ?`);
			params.push(o.key);
			terms.push(`(o${i}.run_uuid IS NULL)`, `o${i}.is_nan`, `o${i}.value ${dir}`);
		} else {
			const table = o.type === 'parameter' ? 'params' : 'tags';
			joins.push(`LEFT JOIN ${table} o${i} ON o${i}.run_uuid = r.run_uuid AND o${i}.key = ?`);
			params.push(o.key);
			terms.push(`(o${i}.value IS NULL)`, `o${i}.value ${dir}`);
		}
	});
	terms.push('r.start_time DESC', 'r.run_uuid ASC');
	return { joins: { sql: joins.join(' '), params }, orderBy: terms.join(', ') };
}
