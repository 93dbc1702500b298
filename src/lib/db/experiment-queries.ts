/** experiments/search and experiments/get. */
import type { SqlValue } from 'sql.js';
import { experimentFilterSql, experimentOrderSql } from './experiment-search';
import { parseFilter, parseOrderBy } from '../search/parse';
import type { Experiment, KeyValue } from './rest-types';
import { type SqlReader, type Row, type ViewType, LIFECYCLE, placeholders, omitNull, omitEmpty } from './sql-reader';

export interface ExperimentSummary extends Experiment {
	/** Active runs, and deleted ones (all of a deleted experiment's runs are usually deleted). */
	run_count: number;
	deleted_run_count: number;
}

/** A named view of an experiment page: its URL query (filter, order, columns, grouping, charts). */
export interface SavedView {
	name: string;
	query: string;
	created_time: number;
}

export class ExperimentQueries {
	constructor(private readonly r: SqlReader) {}

	/**
	 * experiments/search: a lifecycle view, MLflow's experiment filter (`name LIKE 'x%'`,
	 * `tags.team = 'a'`, times) and order_by. Without order_by: most recently updated first.
	 */
	experiments(view: ViewType = 'active', search: { filter?: string; orderBy?: string[] } = {}): ExperimentSummary[] {
		const stages = LIFECYCLE[view];
		const where = [`e.lifecycle_stage IN (${placeholders(stages)})`];
		const params: SqlValue[] = [...stages];
		const clauses = parseFilter('experiments', search.filter);
		if (clauses.length) {
			const f = experimentFilterSql(clauses);
			where.push(f.sql);
			params.push(...f.params);
		}
		const orders = (search.orderBy ?? []).map((o) => parseOrderBy('experiments', o));
		const orderBy = orders.length ? experimentOrderSql(orders) : 'coalesce(e.last_update_time, e.creation_time, 0) DESC, e.name';
		const rows = this.r.all(
			`SELECT e.*, (SELECT count(*) FROM runs r WHERE r.experiment_id = e.experiment_id
				AND r.lifecycle_stage = 'active') AS run_count,
				(SELECT count(*) FROM runs r WHERE r.experiment_id = e.experiment_id
				AND r.lifecycle_stage = 'deleted') AS deleted_run_count
			FROM experiments e WHERE ${where.join(' AND ')}
			ORDER BY ${orderBy}`,
			params
		);
		const tags = this.r.keyValuesBy('SELECT experiment_id, key, value FROM experiment_tags ORDER BY key');
		return rows.map((r) => ({
			...experimentShape(r, tags),
			run_count: Number(r.run_count),
			deleted_run_count: Number(r.deleted_run_count)
		}));
	}

	/** An experiment's saved views, by name. */
	savedViews(experimentId: string): SavedView[] {
		return this.r.all('SELECT name, query, created_time FROM saved_views WHERE experiment_id = ? ORDER BY name', [
			experimentId
		]) as unknown as SavedView[];
	}

	experiment(id: string): Experiment | undefined {
		const r = this.r.all('SELECT * FROM experiments WHERE experiment_id = ?', [id])[0];
		if (!r) return undefined;
		const tags = this.r.keyValuesBy('SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key', [id]);
		return experimentShape(r, tags);
	}
}

function experimentShape(r: Row, tags: Map<string, KeyValue[]>): Experiment {
	const id = r.experiment_id as string;
	return omitEmpty(
		omitNull({
			experiment_id: id,
			name: r.name as string,
			artifact_location: r.artifact_location as string | null,
			lifecycle_stage: r.lifecycle_stage as string,
			creation_time: r.creation_time as number | null,
			last_update_time: r.last_update_time as number | null,
			tags: tags.get(id)
		})
	) as Experiment;
}
