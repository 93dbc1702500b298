/**
 * MLflow REST API responses saved to files, and dumps in the same shapes (mlflow-tools' dump_run,
 * dump_experiment, dump_model). A file is recognised by its top-level keys, whatever its name:
 *
 *   experiments/search  {experiments: [...]}       experiments/get  {experiment: {...}}
 *   runs/search         {runs: [...]}              runs/get         {run: {...}}
 *   metrics/get-history {metrics: [...]}           (run id from the points, else from the path)
 *   registered-models/search {registered_models}   registered-models/get {registered_model}
 *   model-versions/search {model_versions}         model-versions/get {model_version}
 *   logged-models/search {models: [{info, data}]}
 *
 * Paged responses are simply several files. runs/search and runs/get carry only each metric's
 * latest value: such series are flagged latest-only until a history file fills them in.
 */
import { push } from '../group';
import type { SourceTree } from '../sources/tree';
import type { ImportContext } from './context';
import { isExportImportDocument } from './export-import';
import { jsonDocuments, JsonWrites, runIdInPath, type JsonDocument } from './json-import';
import { embeddedVersions, isObject, time, type Json } from './json-records';

export interface RestBundle {
	docs: JsonDocument[];
	/** Other JSON/YAML documents beside them, reported as not imported. */
	others: JsonDocument[];
	unreadable: { path: string; reason: string }[];
}

const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const isRun = (v: unknown): v is Json => isObject(v) && isObject(v.info) && (v.info.run_id ?? v.info.run_uuid) !== undefined;
const isExperiment = (v: unknown): v is Json => isObject(v) && v.experiment_id !== undefined && v.name !== undefined;
const isVersion = (v: unknown): v is Json => isObject(v) && v.name !== undefined && v.version !== undefined;
const isPoint = (v: unknown): v is Json => isObject(v) && v.key !== undefined && v.value !== undefined && v.info === undefined;

/** A dump nests a runs/get response one level down: `{summary, run: {info, data}}`. */
function runOf(v: unknown): Json | undefined {
	if (isRun(v)) return v;
	if (isObject(v) && isRun(v.run)) return v.run;
	if (isObject(v) && isObject(v.run) && isRun(v.run.run)) return v.run.run;
	return undefined;
}

export function isRestDocument(doc: Json): boolean {
	return (
		objects(doc.experiments).some(isExperiment) ||
		isExperiment(doc.experiment) ||
		objects(doc.runs).some((r) => runOf(r) !== undefined) ||
		runOf(doc) !== undefined ||
		(objects(doc.metrics).length > 0 && objects(doc.metrics).every(isPoint) && doc.run === undefined) ||
		objects(doc.registered_models).some((m) => m.name !== undefined) ||
		(isObject(doc.registered_model) && doc.registered_model.name !== undefined) ||
		objects(doc.model_versions).some(isVersion) ||
		isVersion(doc.model_version) ||
		objects(doc.models).some((m) => isObject(m.info) && m.info.model_id !== undefined)
	);
}

export async function findRestJson(tree: SourceTree): Promise<RestBundle[]> {
	const { docs, unreadable } = await jsonDocuments(tree);
	const mine: JsonDocument[] = [];
	const others: JsonDocument[] = [];
	for (const d of docs) {
		if (isExportImportDocument(d.doc)) continue;
		(isRestDocument(d.doc) ? mine : others).push(d);
	}
	return mine.length === 0 ? [] : [{ docs: mine, others, unreadable }];
}

/** Oldest first (stable), by a time field that may be missing. */
function byTime<T>(list: T[], at: (x: T) => unknown): T[] {
	return list
		.map((x, i) => ({ x, i, t: time(at(x)) ?? 0 }))
		.sort((a, b) => a.t - b.t || a.i - b.i)
		.map((e) => e.x);
}

export async function importRestJson(bundle: RestBundle, ctx: ImportContext): Promise<void> {
	const write = new JsonWrites(ctx);
	ctx.report.found.push(`MLflow REST JSON files (${bundle.docs.length})`);
	for (const u of bundle.unreadable) ctx.skip(u.path, u.reason);
	for (const d of bundle.others) ctx.skip(d.file.path, 'not an MLflow REST response or dump: skipped');
	const docs = bundle.docs;

	// Experiments first, so that runs find them whichever file they are in. An entity in several
	// files (dumps made at different times) is written oldest first: the newest copy is kept.
	const experiments = docs.flatMap(({ doc }) => [...objects(doc.experiments), doc.experiment].filter(isExperiment));
	for (const e of byTime(experiments, (e) => e.last_update_time)) write.experiment(e, '');

	const runs: { run: Json; path: string }[] = [];
	for (const { doc, file } of docs) {
		for (const r of [doc, ...objects(doc.runs)]) {
			const run = runOf(r);
			if (run) runs.push({ run, path: file.path });
		}
		// dump_model: each version's run under `version_runs`.
		for (const vr of objects(doc.version_runs)) {
			const run = runOf(vr.run);
			if (run) runs.push({ run, path: file.path });
		}
	}
	ctx.plan('reading', 0, runs.length);
	for (const { run, path } of byTime(runs, (r) => (r.run.info as Json).end_time ?? (r.run.info as Json).start_time)) {
		ctx.check();
		const info = run.info as Json;
		const hint = (info._experiment_name ?? info.experiment_name) as string | undefined;
		const experimentId = write.experimentFor(String(info.experiment_id), hint, path);
		write.run(run, experimentId);
		ctx.advance(0, 1);
	}

	for (const { doc, file } of docs) {
		const points = objects(doc.metrics);
		if (points.length === 0 || !points.every(isPoint) || runOf(doc)) continue;
		// MLflow 3 puts run_id on each point; older responses only in the request, so in the file's path.
		const byRun = new Map<string, Json[]>();
		for (const p of points) {
			const runId = (p.run_id as string | undefined) ?? runIdInPath(file.path);
			if (runId === undefined) continue;
			push(byRun, runId, p);
		}
		if (byRun.size === 0) {
			ctx.skip(file.path, 'metric history without a run id (none in the points or the file path): skipped');
		}
		for (const [runId, list] of byRun) {
			if (!write.history(runId, list)) {
				ctx.skip(file.path, `metric history of run ${runId}, which is not in this import or the store: skipped`);
			}
		}
	}

	const models = docs.flatMap(({ doc }) => [
		...objects(doc.registered_models),
		...(isObject(doc.registered_model) ? [doc.registered_model] : [])
	]);
	for (const m of byTime(models, (m) => m.last_updated_timestamp)) write.registeredModel(m);
	const versions = [
		...models.flatMap(embeddedVersions),
		...docs.flatMap(({ doc }) => [...objects(doc.model_versions), doc.model_version].filter(isVersion))
	];
	for (const v of byTime(versions, (v) => v.last_updated_timestamp)) write.modelVersion(v);
	for (const { doc } of docs) {
		for (const m of objects(doc.models)) {
			const info = m.info;
			if (!isObject(info) || info.model_id === undefined) continue;
			write.loggedModel(m, write.experimentFor(String(info.experiment_id), undefined, 'logged-models'));
		}
	}
}
