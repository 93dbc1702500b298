/**
 * Local edits and recording, as MLflow's tracking API would make them: create, rename, delete and
 * restore experiments and runs, set tags (a null value deletes), params, status, and log metric
 * points. Each edit runs in one store transaction (Store.edit), so a failed one changes nothing.
 */
import { UserError } from '../errors';
import { keyProblem } from '../names';
import type { Database } from 'sql.js';
import type { ImportWriter } from './writer';
import { removeSource, type RemovedCounts } from './remove-source';

export type EditOp =
	| { op: 'createExperiment'; name: string }
	| { op: 'renameExperiment'; experimentId: string; name: string }
	| { op: 'setExperimentLifecycle'; experimentId: string; stage: 'active' | 'deleted' }
	| { op: 'setExperimentTag'; experimentId: string; key: string; value: string | null }
	/** Saves (or replaces) a named view: the experiment page's URL query, less the experiment id. */
	| { op: 'saveView'; experimentId: string; name: string; query: string }
	| { op: 'deleteView'; experimentId: string; name: string }
	| { op: 'createRun'; experimentId: string; name: string }
	| { op: 'setRunName'; runId: string; name: string }
	| { op: 'setRunStatus'; runId: string; status: RunStatusName }
	| { op: 'setRunLifecycle'; runId: string; stage: 'active' | 'deleted' }
	| { op: 'setParam'; runId: string; key: string; value: string | null }
	| { op: 'setTag'; runId: string; key: string; value: string | null }
	| { op: 'logMetric'; runId: string; key: string; value: number; step: number; timestamp?: number }
	| { op: 'createRegisteredModel'; name: string; description?: string }
	| { op: 'setModelDescription'; name: string; description: string | null }
	| { op: 'setModelTag'; name: string; key: string; value: string | null }
	| { op: 'deleteRegisteredModel'; name: string }
	| { op: 'createModelVersion'; name: string; runId: string; artifactPath: string }
	| { op: 'transitionStage'; name: string; version: number; stage: StageName; archiveExisting: boolean }
	| { op: 'setAlias'; name: string; alias: string; version: number | null }
	| { op: 'setVersionDescription'; name: string; version: number; description: string | null }
	| { op: 'setVersionTag'; name: string; version: number; key: string; value: string | null }
	| { op: 'deleteModelVersion'; name: string; version: number }
	| { op: 'removeSource'; sourceId: number };

export type StageName = 'None' | 'Staging' | 'Production' | 'Archived';
const STAGES: StageName[] = ['None', 'Staging', 'Production', 'Archived'];

export type RunStatusName = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
const STATUSES: RunStatusName[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** What an edit created, so the UI can open it. */
export interface EditResult {
	/** What removing a source took away. */
	removed?: RemovedCounts;
	experimentId?: string;
	runId?: string;
	modelName?: string;
	version?: number;
}

/** A user's mistake in an edit; the message says what to change. */
export class EditError extends UserError {
	constructor(message: string) {
		super(message, 'edit');
	}
}

export interface EditContext {
	db: Database;
	writer: ImportWriter;
	now: number;
	/** 32 hex characters, as MLflow's run ids. */
	newRunId: () => string;
}

function one(db: Database, sql: string, params: (string | number | null)[]): unknown[] | undefined {
	const st = db.prepare(sql);
	try {
		st.bind(params);
		return st.step() ? st.get() : undefined;
	} finally {
		st.free();
	}
}

function nonEmpty(what: string, v: string): string {
	const t = v.trim();
	if (!t) throw new EditError(`${what} cannot be empty`);
	return t;
}

/** A key, which MLflow stores as a file name: not empty, at most 250 characters, a plain path (names.ts). */
function validKey(what: string, v: string): string {
	const t = nonEmpty(what, v);
	const why = keyProblem(v);
	if (why) throw new EditError(`${what} "${v.slice(0, 100)}" cannot be used: ${why}`);
	return t;
}

function requireExperiment(db: Database, id: string): void {
	if (!one(db, 'SELECT 1 FROM experiments WHERE experiment_id = ?', [id])) throw new EditError(`No experiment with id ${id}`);
}

function requireRun(db: Database, id: string): void {
	if (!one(db, 'SELECT 1 FROM runs WHERE run_uuid = ?', [id])) throw new EditError(`No run with id ${id}`);
}

function requireModel(db: Database, name: string): void {
	if (!one(db, 'SELECT 1 FROM registered_models WHERE name = ?', [name])) throw new EditError(`No registered model named "${name}"`);
}

function requireVersion(db: Database, name: string, version: number): void {
	if (!one(db, 'SELECT 1 FROM model_versions WHERE name = ? AND version = ?', [name, version]))
		throw new EditError(`No version ${version} of model "${name}"`);
}

function uniqueName(db: Database, name: string, except?: string): void {
	if (one(db, 'SELECT 1 FROM experiments WHERE name = ? AND experiment_id IS NOT ?', [name, except ?? null])) {
		throw new EditError(`An experiment named "${name}" already exists`);
	}
}

export function applyEdit(ctx: EditContext, e: EditOp): EditResult {
	const { db, now } = ctx;
	const touchExperiment = (id: string) => db.run('UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?', [now, id]);
	switch (e.op) {
		case 'createExperiment': {
			const name = nonEmpty('An experiment name', e.name);
			uniqueName(db, name);
			// MLflow numbers experiments; the next integer after the largest numeric id.
			const max = one(
				db,
				"SELECT max(CAST(experiment_id AS INTEGER)) FROM experiments WHERE experiment_id GLOB '[0-9]*' AND experiment_id NOT GLOB '*[^0-9]*'",
				[]
			);
			const id = String(Number(max?.[0] ?? 0) + 1);
			db.run(
				"INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, NULL, 'active', ?, ?)",
				[id, name, now, now]
			);
			return { experimentId: id };
		}
		case 'renameExperiment': {
			requireExperiment(db, e.experimentId);
			const name = nonEmpty('An experiment name', e.name);
			uniqueName(db, name, e.experimentId);
			db.run('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?', [name, now, e.experimentId]);
			return {};
		}
		case 'setExperimentLifecycle':
			requireExperiment(db, e.experimentId);
			db.run('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?', [e.stage, now, e.experimentId]);
			return {};
		case 'setExperimentTag':
			requireExperiment(db, e.experimentId);
			validKey('A tag key', e.key);
			if (e.value === null) db.run('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?', [e.experimentId, e.key]);
			else db.run('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)', [e.experimentId, e.key, e.value]);
			touchExperiment(e.experimentId);
			return {};
		case 'saveView': {
			requireExperiment(db, e.experimentId);
			const name = e.name.trim();
			if (!name) throw new EditError('A view needs a name.');
			if (name.length > 200) throw new EditError('A view name has at most 200 characters.');
			// A query string only: a view is URL state, never a link elsewhere.
			const query = new URLSearchParams(e.query);
			query.delete('id');
			db.run('INSERT OR REPLACE INTO saved_views (experiment_id, name, query, created_time) VALUES (?, ?, ?, ?)', [
				e.experimentId,
				name,
				query.toString(),
				ctx.now
			]);
			return {};
		}
		case 'deleteView':
			db.run('DELETE FROM saved_views WHERE experiment_id = ? AND name = ?', [e.experimentId, e.name]);
			return {};
		case 'createRun': {
			requireExperiment(db, e.experimentId);
			const runId = ctx.newRunId();
			const name = e.name.trim() || null;
			db.run(
				`INSERT INTO runs (run_uuid, name, source_type, user_id, status, start_time, lifecycle_stage, experiment_id)
				VALUES (?, ?, 'LOCAL', 'trackside', 'RUNNING', ?, 'active', ?)`,
				[runId, name, now, e.experimentId]
			);
			if (name) db.run("INSERT INTO tags (run_uuid, key, value) VALUES (?, 'mlflow.runName', ?)", [runId, name]);
			touchExperiment(e.experimentId);
			return { runId };
		}
		case 'setRunName': {
			requireRun(db, e.runId);
			const name = nonEmpty('A run name', e.name);
			db.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [name, e.runId]);
			// MLflow mirrors the name in the mlflow.runName tag.
			db.run("INSERT OR REPLACE INTO tags (run_uuid, key, value) VALUES (?, 'mlflow.runName', ?)", [e.runId, name]);
			return {};
		}
		case 'setRunStatus': {
			requireRun(db, e.runId);
			if (!STATUSES.includes(e.status)) throw new EditError(`Unknown run status ${e.status}`);
			const ended = e.status === 'RUNNING' || e.status === 'SCHEDULED' ? null : now;
			db.run('UPDATE runs SET status = ?, end_time = CASE WHEN ? IS NULL THEN NULL ELSE coalesce(end_time, ?) END WHERE run_uuid = ?', [
				e.status,
				ended,
				ended,
				e.runId
			]);
			return {};
		}
		case 'setRunLifecycle':
			requireRun(db, e.runId);
			db.run('UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?', [
				e.stage,
				e.stage === 'deleted' ? now : null,
				e.runId
			]);
			return {};
		case 'setParam':
		case 'setTag': {
			requireRun(db, e.runId);
			validKey(e.op === 'setParam' ? 'A param key' : 'A tag key', e.key);
			const table = e.op === 'setParam' ? 'params' : 'tags';
			if (e.value === null) db.run(`DELETE FROM ${table} WHERE run_uuid = ? AND key = ?`, [e.runId, e.key]);
			else db.run(`INSERT OR REPLACE INTO ${table} (run_uuid, key, value) VALUES (?, ?, ?)`, [e.runId, e.key, e.value]);
			if (e.op === 'setTag' && e.key === 'mlflow.runName' && e.value !== null)
				db.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [e.value, e.runId]);
			return {};
		}
		case 'createRegisteredModel': {
			const name = nonEmpty('A model name', e.name);
			if (one(db, 'SELECT 1 FROM registered_models WHERE name = ?', [name]))
				throw new EditError(`A registered model named "${name}" already exists`);
			db.run('INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)', [
				name,
				now,
				now,
				e.description?.trim() || null
			]);
			return { modelName: name };
		}
		case 'setModelDescription':
			requireModel(db, e.name);
			db.run('UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?', [e.description, now, e.name]);
			return {};
		case 'setModelTag':
			requireModel(db, e.name);
			validKey('A tag key', e.key);
			if (e.value === null) db.run('DELETE FROM registered_model_tags WHERE name = ? AND key = ?', [e.name, e.key]);
			else db.run('INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)', [e.name, e.key, e.value]);
			db.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [now, e.name]);
			return {};
		case 'deleteRegisteredModel':
			requireModel(db, e.name);
			for (const table of [
				'model_version_tags',
				'registered_model_aliases',
				'model_versions',
				'registered_model_tags',
				'registered_models'
			]) {
				db.run(`DELETE FROM ${table} WHERE name = ?`, [e.name]);
			}
			return {};
		case 'createModelVersion': {
			// As mlflow.register_model: the model is created when it does not exist yet.
			const name = nonEmpty('A model name', e.name);
			requireRun(db, e.runId);
			const path = e.artifactPath.replace(/^\/+|\/+$/g, '');
			if (!one(db, 'SELECT 1 FROM registered_models WHERE name = ?', [name])) {
				db.run('INSERT INTO registered_models (name, creation_time, last_updated_time) VALUES (?, ?, ?)', [name, now, now]);
			}
			const max = one(db, 'SELECT max(version) FROM model_versions WHERE name = ?', [name]);
			const version = Number(max?.[0] ?? 0) + 1;
			db.run(
				`INSERT INTO model_versions (name, version, creation_time, last_updated_time, user_id, current_stage, source, run_id, status)
				VALUES (?, ?, ?, ?, 'trackside', 'None', ?, ?, 'READY')`,
				[name, version, now, now, `runs:/${e.runId}/${path}`, e.runId]
			);
			db.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [now, name]);
			return { modelName: name, version };
		}
		case 'transitionStage': {
			requireVersion(db, e.name, e.version);
			if (!STAGES.includes(e.stage)) throw new EditError(`Unknown stage ${e.stage}; MLflow's stages are ${STAGES.join(', ')}`);
			// MLflow's archive_existing_versions: other versions in the target stage move to Archived.
			if (e.archiveExisting && (e.stage === 'Staging' || e.stage === 'Production')) {
				db.run(
					"UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE name = ? AND current_stage = ? AND version != ?",
					[now, e.name, e.stage, e.version]
				);
			}
			db.run('UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?', [
				e.stage,
				now,
				e.name,
				e.version
			]);
			return {};
		}
		case 'setAlias': {
			requireModel(db, e.name);
			const alias = nonEmpty('An alias', e.alias);
			// MLflow reserves `latest` and version-like names (v1, v2...) for its own resolution.
			if (/^(latest|v\d+)$/i.test(alias)) throw new EditError(`"${alias}" is reserved by MLflow and cannot be an alias`);
			if (e.version === null) db.run('DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?', [e.name, alias]);
			else {
				requireVersion(db, e.name, e.version);
				// One version per alias: setting it elsewhere moves it.
				db.run('INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)', [e.name, alias, e.version]);
			}
			db.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [now, e.name]);
			return {};
		}
		case 'setVersionDescription':
			requireVersion(db, e.name, e.version);
			db.run('UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?', [
				e.description,
				now,
				e.name,
				e.version
			]);
			return {};
		case 'setVersionTag':
			requireVersion(db, e.name, e.version);
			validKey('A tag key', e.key);
			if (e.value === null) db.run('DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?', [e.name, e.version, e.key]);
			else
				db.run('INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)', [
					e.name,
					e.version,
					e.key,
					e.value
				]);
			return {};
		case 'deleteModelVersion':
			requireVersion(db, e.name, e.version);
			for (const table of ['model_version_tags', 'registered_model_aliases', 'model_versions']) {
				db.run(`DELETE FROM ${table} WHERE name = ? AND version = ?`, [e.name, e.version]);
			}
			db.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [now, e.name]);
			return {};
		case 'removeSource': {
			if (!one(db, 'SELECT 1 FROM sources WHERE source_id = ?', [e.sourceId])) throw new EditError(`No imported source ${e.sourceId}`);
			return { removed: removeSource(db, e.sourceId) };
		}
		case 'logMetric': {
			requireRun(db, e.runId);
			validKey('A metric key', e.key);
			if (typeof e.value !== 'number') throw new EditError('A metric value must be a number');
			if (!Number.isInteger(e.step)) throw new EditError('A metric step must be an integer');
			const point = {
				steps: new Float64Array([e.step]),
				timestamps: new Float64Array([e.timestamp ?? now]),
				values: new Float64Array([e.value])
			};
			ctx.writer.metricSeries(e.runId, e.key, point, true);
			return {};
		}
	}
}
