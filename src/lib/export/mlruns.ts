/**
 * An export as MLflow's FileStore (`mlruns/`), the layout `mlflow ui --backend-store-uri ./mlruns`
 * opens and Trackside's own importer reads back: experiment folders (deleted ones under
 * `.trash/`), run folders with meta.yaml, params/, tags/ and metrics/ (`<timestamp> <value>
 * <step>` lines, keys with `/` as sub-folders, as MLflow writes them), and `models/` for the
 * registry, and MLflow 3's `traces/` folders. Enums are written as the numbers FileStore uses. FileStore experiment ids are
 * numbers: an id Trackside gave on a clash of two stores (`1-2`) is written as a new number.
 */
import { unsafeName } from '../names';
import { stringify } from 'yaml';
import type { ExportSet } from './collect';
import { numericExperimentIds } from './numeric-ids';

const enc = new TextEncoder();
const RUN_STATUS: Record<string, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
const SOURCE_TYPE: Record<string, number> = { NOTEBOOK: 1, JOB: 2, PROJECT: 3, LOCAL: 4, UNKNOWN: 1000 };

/** Python's float repr for the values Python spells differently. */
export function pythonFloat(v: number): string {
	if (Number.isNaN(v)) return 'nan';
	if (v === Infinity) return 'inf';
	if (v === -Infinity) return '-inf';
	return String(v);
}

function yaml(doc: Record<string, unknown>): Uint8Array {
	return enc.encode(stringify(doc, { lineWidth: 0 }));
}

export function mlrunsFiles(set: ExportSet, root = 'mlruns'): Map<string, Uint8Array> {
	const files = new Map<string, Uint8Array>();
	// Never an entry that would land outside the folder it is extracted to (names.ts): imports and
	// edits refuse such keys already; this is the backstop for the zip this writes.
	const put = (path: string, content: string | Uint8Array) => {
		if (!unsafeName(path)) files.set(path, typeof content === 'string' ? enc.encode(content) : content);
	};
	const folder = new Map<string, string>();
	const fileId = numericExperimentIds(set.experiments);
	for (const e of set.experiments) {
		const id = fileId.get(e.experiment_id)!;
		const dir = `${root}/${e.lifecycle_stage === 'deleted' ? '.trash/' : ''}${id}`;
		folder.set(e.experiment_id, dir);
		put(
			`${dir}/meta.yaml`,
			yaml({
				artifact_location: e.artifact_location ?? `mlflow-artifacts:/${e.experiment_id}`,
				creation_time: e.creation_time ?? null,
				experiment_id: id,
				last_update_time: e.last_update_time ?? null,
				lifecycle_stage: e.lifecycle_stage,
				name: e.name
			})
		);
		for (const t of e.tags ?? []) put(`${dir}/tags/${t.key}`, t.value);
	}
	for (const run of set.runs) {
		const r = run.row;
		const dir = `${folder.get(r.experiment_id)}/${r.run_uuid}`;
		put(
			`${dir}/meta.yaml`,
			yaml({
				artifact_uri: r.artifact_uri ?? '',
				end_time: r.end_time,
				entry_point_name: r.entry_point_name ?? '',
				experiment_id: fileId.get(r.experiment_id),
				lifecycle_stage: r.lifecycle_stage,
				run_id: r.run_uuid,
				run_name: r.name ?? '',
				run_uuid: r.run_uuid,
				source_name: r.source_name ?? '',
				source_type: SOURCE_TYPE[r.source_type ?? ''] ?? 4,
				source_version: r.source_version ?? '',
				start_time: r.start_time,
				status: RUN_STATUS[r.status] ?? 3,
				tags: [],
				user_id: r.user_id ?? '',
				...(r.deleted_time !== null ? { deleted_time: r.deleted_time } : {})
			})
		);
		for (const [k, v] of Object.entries(run.params)) put(`${dir}/params/${k}`, v);
		for (const [k, v] of Object.entries(run.tags)) put(`${dir}/tags/${k}`, v);
		for (const [k, s] of Object.entries(run.metrics)) {
			const lines: string[] = new Array(s.values.length);
			for (let i = 0; i < s.values.length; i++) lines[i] = `${s.timestamps[i]} ${pythonFloat(s.values[i])} ${s.steps[i]}`;
			put(`${dir}/metrics/${k}`, lines.join('\n') + '\n');
		}
	}
	// MLflow 3's trace folders (file_store.py): the info without metadata, tags and assessments,
	// which have their own folders; spans as the trace's traces.json artifact.
	for (const { info, spans } of set.traces) {
		const experimentId = info.trace_location.mlflow_experiment.experiment_id;
		const dir = `${folder.get(experimentId)}/traces/${info.trace_id}`;
		const { trace_metadata, tags, assessments, ...rest } = info;
		const id = fileId.get(experimentId)!;
		put(`${dir}/trace_info.yaml`, yaml({ ...rest, trace_location: { ...rest.trace_location, mlflow_experiment: { experiment_id: id } } }));
		for (const [k, v] of Object.entries(trace_metadata)) put(`${dir}/request_metadata/${k}`, v);
		for (const [k, v] of Object.entries(tags)) put(`${dir}/tags/${k}`, v);
		for (const a of assessments) put(`${dir}/assessments/${a.assessment_id}.yaml`, yaml({ ...a }));
		if (spans !== null) put(`${dir}/artifacts/traces.json`, spans);
	}
	for (const m of set.models) {
		const dir = `${root}/models/${m.name}`;
		put(
			`${dir}/meta.yaml`,
			yaml({
				creation_timestamp: m.creation_timestamp ?? null,
				description: m.description ?? '',
				last_updated_timestamp: m.last_updated_timestamp ?? null,
				name: m.name
			})
		);
		for (const t of m.tags ?? []) put(`${dir}/tags/${t.key}`, t.value);
		for (const a of m.aliases ?? []) put(`${dir}/aliases/${a.alias}`, a.version);
	}
	for (const v of set.versions) {
		const dir = `${root}/models/${v.name}/version-${v.version}`;
		put(
			`${dir}/meta.yaml`,
			yaml({
				creation_timestamp: v.creation_timestamp ?? null,
				current_stage: v.current_stage ?? 'None',
				description: v.description ?? '',
				last_updated_timestamp: v.last_updated_timestamp ?? null,
				name: v.name,
				run_id: v.run_id ?? '',
				run_link: v.run_link ?? '',
				source: v.source ?? '',
				status: v.status ?? 'READY',
				status_message: v.status_message ?? null,
				user_id: v.user_id ?? '',
				version: Number(v.version)
			})
		);
		for (const t of v.tags ?? []) put(`${dir}/tags/${t.key}`, t.value);
	}
	return files;
}
