/** The model registry (registered-models/search, model-versions/search) and MLflow 3 logged models. */
import { push } from '../group';
import type { SqlValue } from 'sql.js';
import { modelFilterSql, modelOrderSql, versionFilterSql, versionOrderSql } from './registry-search';
import { parseFilter, parseOrderBy } from '../search/parse';
import type { KeyValue, ModelVersion, RegisteredModel } from './rest-types';
import { type SqlReader, omitNull, omitEmpty } from './sql-reader';

export interface LoggedModelRow {
	model_id: string;
	name: string;
	status: string | null;
	model_type: string | null;
	creation_timestamp_ms: number | null;
}

export interface LoggedModelListRow {
	model_id: string;
	name: string;
	source_run_id: string | null;
	run_name: string | null;
	status: string | null;
	model_type: string | null;
	creation_timestamp_ms: number | null;
	/** Latest value per key (null: NaN). */
	metrics: Record<string, number | null>;
	params: Record<string, string>;
	tags: Record<string, string>;
	versions: { name: string; version: string }[];
}

export interface LoggedModelDetail {
	model_id: string;
	name: string;
	experiment_id: string;
	source_run_id: string | null;
	status: string | null;
	model_type: string | null;
	creation_timestamp_ms: number | null;
	artifact_location: string | null;
	params: KeyValue[];
	tags: KeyValue[];
	metrics: { key: string; value: number | null; step: number; timestamp: number; run_id: string | null }[];
}

export class ModelQueries {
	constructor(private readonly r: SqlReader) {}

	/** registered-models/get: one model by its exact name. */
	registeredModel(name: string): RegisteredModel | undefined {
		return this.registeredModels({ filter: `name = '${name.replace(/'/g, "''")}'` })[0];
	}

	/**
	 * registered-models/search: MLflow's filter (`name LIKE 'x%'`, `tags.k = 'v'`) and order_by
	 * (name, timestamp, last_updated_timestamp); errors are SearchError.
	 */
	registeredModels(search: { filter?: string; orderBy?: string[] } = {}, kind: RegistryKind = 'models'): RegisteredModel[] {
		const clauses = parseFilter('registered_models', search.filter);
		const filtered = clauses.length ? modelFilterSql(clauses) : { sql: '1', params: [] };
		const where = { sql: `${filtered.sql} AND ${kindSql(kind, 'm.name')}`, params: filtered.params };
		const order = modelOrderSql((search.orderBy ?? []).map((o) => parseOrderBy('registered_models', o)));
		const versions = this.modelVersions({}, kind);
		const byModel = new Map<string, ModelVersion[]>();
		for (const v of versions) push(byModel, v.name, v);
		const tags = this.r.keyValuesBy('SELECT name, key, value FROM registered_model_tags ORDER BY key');
		const aliases = new Map<string, { alias: string; version: string }[]>();
		for (const a of this.r.all('SELECT name, alias, version FROM registered_model_aliases ORDER BY alias')) {
			push(aliases, a.name as string, { alias: a.alias as string, version: String(a.version) });
		}
		return this.r.all(`SELECT * FROM registered_models m WHERE ${where.sql} ORDER BY ${order}`, where.params).map((m) => {
			const name = m.name as string;
			return omitEmpty(
				omitNull({
					name,
					creation_timestamp: m.creation_time as number | null,
					last_updated_timestamp: m.last_updated_time as number | null,
					description: m.description as string | null,
					latest_versions: latestPerStage(byModel.get(name) ?? []),
					tags: tags.get(name),
					aliases: aliases.get(name)
				})
			) as RegisteredModel;
		});
	}

	/**
	 * model-versions/search: by model name and run, and MLflow's filter (`version_number > 1`,
	 * `run_id IN (...)`, `source_path = ...`, tags) and order_by.
	 */
	modelVersions(
		filter: { name?: string; runId?: string; filter?: string; orderBy?: string[] } = {},
		kind: RegistryKind = 'models'
	): ModelVersion[] {
		const where: string[] = [kindSql(kind, 'v.name')];
		const params: SqlValue[] = [];
		const clauses = parseFilter('model_versions', filter.filter);
		if (clauses.length) {
			const f = versionFilterSql(clauses);
			where.push(f.sql);
			params.push(...f.params);
		}
		const searched = filter.filter !== undefined || filter.orderBy !== undefined;
		const order = searched
			? versionOrderSql((filter.orderBy ?? []).map((o) => parseOrderBy('model_versions', o)))
			: 'v.name, v.version DESC';
		if (filter.name !== undefined) {
			where.push('v.name = ?');
			params.push(filter.name);
		}
		if (filter.runId !== undefined) {
			where.push('v.run_id = ?');
			params.push(filter.runId);
		}
		const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
		const tags = new Map<string, KeyValue[]>();
		for (const t of this.r.all(
			`SELECT t.name, t.version, t.key, t.value FROM model_version_tags t JOIN model_versions v USING (name, version) ${clause} ORDER BY t.key`,
			params
		)) {
			push(tags, `${t.name}\u0000${t.version}`, { key: t.key as string, value: t.value as string });
		}
		const aliases = new Map<string, string[]>();
		for (const a of this.r.all(
			`SELECT a.name, a.version, a.alias FROM registered_model_aliases a JOIN model_versions v USING (name, version) ${clause} ORDER BY a.alias`,
			params
		)) {
			push(aliases, `${a.name}\u0000${a.version}`, a.alias as string);
		}
		return this.r.all(`SELECT v.* FROM model_versions v ${clause} ORDER BY ${order}`, params).map((v) => {
			const k = `${v.name}\u0000${v.version}`;
			return omitEmpty(
				omitNull({
					name: v.name as string,
					version: String(v.version),
					creation_timestamp: v.creation_time as number | null,
					last_updated_timestamp: v.last_updated_time as number | null,
					user_id: v.user_id as string | null,
					current_stage: (v.current_stage as string | null) ?? 'None',
					description: v.description as string | null,
					source: v.source as string | null,
					run_id: v.run_id as string | null,
					status: v.status as string | null,
					status_message: v.status_message as string | null,
					tags: tags.get(k),
					run_link: v.run_link as string | null,
					aliases: aliases.get(k),
					model_id: (v.model_id as string | null) || null
				})
			) as ModelVersion;
		});
	}

	/**
	 * An experiment's MLflow 3 logged models, as its Models tab lists them: source run (with its
	 * name), status, latest metric values, params, tags and the registered versions made from each.
	 */
	loggedModelsOf(experimentId: string): LoggedModelListRow[] {
		const models = this.r.all(
			`SELECT m.model_id, m.name, m.source_run_id, r.name AS run_name, m.status, m.model_type, m.creation_timestamp_ms
				FROM logged_models m LEFT JOIN runs r ON r.run_uuid = m.source_run_id
				WHERE m.experiment_id = ? AND m.lifecycle_stage <> 'deleted' ORDER BY m.creation_timestamp_ms DESC, m.model_id`,
			[experimentId]
		);
		const byId = new Map<string, LoggedModelListRow>();
		for (const m of models)
			byId.set(m.model_id as string, {
				model_id: m.model_id as string,
				name: m.name as string,
				source_run_id: m.source_run_id as string | null,
				run_name: m.run_name as string | null,
				status: m.status as string | null,
				model_type: m.model_type as string | null,
				creation_timestamp_ms: m.creation_timestamp_ms as number | null,
				metrics: {},
				params: {},
				tags: {},
				versions: []
			});
		const scope = 'SELECT model_id FROM logged_models WHERE experiment_id = ?';
		const fill = (field: 'metrics' | 'params' | 'tags', sql: string) => {
			for (const r of this.r.all(sql, [experimentId])) {
				const m = byId.get(r.model_id as string);
				if (m) (m[field] as Record<string, unknown>)[r.k as string] = r.v;
			}
		};
		// Rows in step order: the value at each key's last step (then time) is the one kept, as for runs.
		fill(
			'metrics',
			`SELECT model_id, metric_name AS k, metric_value AS v FROM logged_model_metrics WHERE model_id IN (${scope})
				ORDER BY model_id, metric_name, metric_step, metric_timestamp_ms`
		);
		fill('params', `SELECT model_id, param_key AS k, param_value AS v FROM logged_model_params WHERE model_id IN (${scope})`);
		fill(
			'tags',
			`SELECT model_id, tag_key AS k, tag_value AS v FROM logged_model_tags WHERE model_id IN (${scope}) AND tag_key NOT GLOB 'mlflow.*'`
		);
		// A version made from a logged model names it in model_id, or in its source (`models:/m-…`).
		for (const r of this.r.all(
			`SELECT l.model_id, v.name, v.version FROM model_versions v JOIN logged_models l
				ON l.model_id = v.model_id OR v.source = 'models:/' || l.model_id WHERE l.experiment_id = ? ORDER BY v.name, v.version`,
			[experimentId]
		))
			byId.get(r.model_id as string)?.versions.push({ name: r.name as string, version: String(r.version) });
		return [...byId.values()];
	}

	/** How many logged models an experiment has (its Models tab shows only when it has some). */
	loggedModelCount(experimentId: string): number {
		return this.r.all("SELECT count(*) AS n FROM logged_models WHERE experiment_id = ? AND lifecycle_stage <> 'deleted'", [experimentId])[0]
			.n as number;
	}

	/** MLflow 3 logged models a run produced (`m-<id>`), newest first. */
	loggedModels(runId: string): LoggedModelRow[] {
		return this.r.all(
			`SELECT model_id, name, status, model_type, creation_timestamp_ms FROM logged_models
			WHERE source_run_id = ? ORDER BY creation_timestamp_ms DESC, model_id`,
			[runId]
		) as unknown as LoggedModelRow[];
	}

	/** One MLflow 3 logged model with its params, tags and metrics (latest point per key). */
	loggedModel(modelId: string): LoggedModelDetail | undefined {
		const m = this.r.all('SELECT * FROM logged_models WHERE model_id = ?', [modelId])[0];
		if (!m) return undefined;
		const kv = (sql: string) => this.r.all(sql, [modelId]).map((r) => ({ key: r.k as string, value: r.v as string }));
		return {
			model_id: modelId,
			name: m.name as string,
			experiment_id: m.experiment_id as string,
			source_run_id: (m.source_run_id as string | null) ?? null,
			status: (m.status as string | null) ?? null,
			model_type: (m.model_type as string | null) ?? null,
			creation_timestamp_ms: (m.creation_timestamp_ms as number | null) ?? null,
			artifact_location: (m.artifact_location as string | null) ?? null,
			params: kv('SELECT param_key AS k, param_value AS v FROM logged_model_params WHERE model_id = ? ORDER BY param_key'),
			tags: kv('SELECT tag_key AS k, tag_value AS v FROM logged_model_tags WHERE model_id = ? ORDER BY tag_key'),
			metrics: this.r.all(
				`SELECT metric_name AS key, metric_value AS value, metric_step AS step, metric_timestamp_ms AS timestamp, run_id
				FROM logged_model_metrics WHERE model_id = ? ORDER BY metric_name, metric_step, metric_timestamp_ms`,
				[modelId]
			) as unknown as LoggedModelDetail['metrics']
		};
	}
}

/**
 * MLflow keeps prompts as registered models tagged `mlflow.prompt.is_prompt = true`; its Models page
 * and registry searches leave them out, and the Prompts page lists only them.
 */
export type RegistryKind = 'models' | 'prompts' | 'all';

function kindSql(kind: RegistryKind, name: string): string {
	if (kind === 'all') return '1';
	const isPrompt = `EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.name = ${name} AND p.key = 'mlflow.prompt.is_prompt' AND lower(p.value) = 'true')`;
	return kind === 'prompts' ? isPrompt : `NOT ${isPrompt}`;
}

/** registered-models/search's latest_versions: the newest version in each stage. */
function latestPerStage(versions: ModelVersion[]): ModelVersion[] {
	const best = new Map<string, ModelVersion>();
	for (const v of versions) {
		const stage = v.current_stage ?? 'None';
		const b = best.get(stage);
		if (!b || Number(v.version) > Number(b.version)) best.set(stage, v);
	}
	return [...best.values()].sort((a, b) => Number(a.version) - Number(b.version));
}
