/**
 * MLflow's experiment search (search_experiments) as SQL over `experiments e`: name and times as
 * attributes, tags as EXISTS, order_by on name, id and times with MLflow's tiebreak (id DESC).
 */
import type { SqlValue } from 'sql.js';
import type { Clause, OrderBy } from '../search/parse';
import { compare, type SqlPart } from './run-search';

const COLUMNS: Record<string, string> = {
	name: 'e.name',
	experiment_id: 'e.experiment_id',
	creation_time: 'e.creation_time',
	last_update_time: 'e.last_update_time'
};

export function experimentFilterSql(clauses: Clause[]): SqlPart {
	const params: SqlValue[] = [];
	const parts = clauses.map((c) => {
		if (c.type === 'attribute') {
			const p = compare(COLUMNS[c.key], c);
			params.push(...p.params);
			return p.sql;
		}
		const exists = 'EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ?';
		params.push(c.key);
		if (c.comparator === 'IS NULL') return `NOT ${exists})`;
		if (c.comparator === 'IS NOT NULL') return `${exists})`;
		const p = compare('t.value', c);
		params.push(...p.params);
		return `${exists} AND ${p.sql})`;
	});
	return { sql: parts.join(' AND '), params };
}

export function experimentOrderSql(orders: OrderBy[]): string {
	const terms = orders.flatMap((o) => [`(${COLUMNS[o.key]} IS NULL)`, `${COLUMNS[o.key]} ${o.ascending ? 'ASC' : 'DESC'}`]);
	// Numeric ids sort as numbers, as MLflow's integer ids do.
	return [...terms, 'CAST(e.experiment_id AS INTEGER) DESC', 'e.experiment_id DESC'].join(', ');
}
