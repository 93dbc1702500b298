/**
 * mlflow-export-import output (https://github.com/mlflow/mlflow-export-import), file format 2
 * (package 1.2.0 on). Every file is `{system: {package_version, script, ...}, info, mlflow: {...}}`;
 * what `mlflow` holds says what the file is, wherever it sits, so every layout imports alike:
 *
 *   experiment.json   {experiment, runs: [ids]}        a run's experiment is the experiment.json
 *   run.json          {info, params, metrics, tags, ...}   in the nearest folder above it
 *   model.json        {registered_model: {..., versions}}
 *   version.json      {model_version}
 *   prompt.json       {prompt}
 *   trace.json        {info: TraceInfo.__dict__, data: [span stubs]}, spans in the traces.json beside it
 *   logged_models.json {experiments: [{id, logged_models}]}
 *   manifest.json, experiments.json, models.json, *_summary.json: summaries, nothing to import
 *
 * Run folders are `<exp>/runs/<run id>/` or, in older exports, `<exp>/<run id>/`; a run's
 * exported artifacts are the `artifacts/` folder beside its run.json.
 */
import { push } from '../group';
import type { SourceFile, SourceTree } from '../sources/tree';
import { parseSpanFile } from '../traces/span-json';
import { textValue } from './parse';
import { infoExperimentId, traceFromInfo } from './trace-dicts';
import type { EvaluationDatasetRecord } from '../db/entities';
import type { ImportContext } from './context';
import { dirOf, jsonDocuments, JsonWrites, type JsonDocument } from './json-import';
import { isObject, keyValues, type Json } from './json-records';

export interface ExportImportBundle {
	docs: JsonDocument[];
	unreadable: { path: string; reason: string }[];
	/** `traces.json` files by folder: a trace's span file sits beside its trace.json. */
	spanFiles: Map<string, SourceFile>;
}

export function isExportImportDocument(doc: Json): boolean {
	const system = doc.system;
	// Early 1.x-era files have no package_version, only the export time and the source server.
	return (
		isObject(system) &&
		isObject(doc.mlflow) &&
		['package_version', 'export_file_version', 'export_time', 'mlflow_tracking_uri'].some((k) => system[k] !== undefined)
	);
}

export async function findExportImport(tree: SourceTree): Promise<ExportImportBundle[]> {
	const { docs, unreadable } = await jsonDocuments(tree);
	const mine = docs.filter((d) => isExportImportDocument(d.doc));
	if (mine.length === 0) return [];
	// Unparseable JSON next to export files is most likely a damaged export file.
	const dirs = new Set(mine.map((d) => dirOf(d.file.path).split('/')[0]));
	const spanFiles = new Map(
		tree.files.filter((f) => f.path.endsWith('/traces.json') || f.path === 'traces.json').map((f) => [dirOf(f.path), f])
	);
	return [{ docs: mine, unreadable: unreadable.filter((u) => dirs.has(u.path.split('/')[0])), spanFiles }];
}

type Kind = 'experiment' | 'trace' | 'run' | 'model' | 'version' | 'prompt' | 'logged models' | 'evaluation dataset' | 'summary';

function kindOf(m: Json): Kind | undefined {
	if (isObject(m.experiment)) return 'experiment';
	// A trace's info names a trace (v3) or request (v2) id; a run's info does not.
	if (isObject(m.info) && (m.info.trace_id !== undefined || m.info.request_id !== undefined)) return 'trace';
	if (isObject(m.info)) return 'run';
	if (isObject(m.registered_model)) return 'model';
	if (isObject(m.model_version)) return 'version';
	if (isObject(m.prompt)) return 'prompt';
	if (isObject(m.evaluation_dataset)) return 'evaluation dataset';
	if (Array.isArray(m.experiments) && m.experiments.some((e) => isObject(e) && Array.isArray(e.logged_models))) {
		return 'logged models';
	}
	// manifest.json has an empty `mlflow`; experiments.json, models.json and the *_summary.json
	// files hold names and counts only.
	if (Object.values(m).every((v) => !isObject(v))) return 'summary';
	return undefined;
}

/** When the file was exported (seconds); copies of one entity in several exports: the newest wins. */
function exportTime(d: JsonDocument): number {
	return Number((d.doc.system as Json).export_time) || 0;
}

export async function importExportImport(bundle: ExportImportBundle, ctx: ImportContext): Promise<void> {
	const write = new JsonWrites(ctx);
	const byKind = new Map<Kind, JsonDocument[]>();
	// Written oldest export first, so that the newest copy of a run or model is the one kept.
	const ordered = [...bundle.docs].sort((a, b) => exportTime(a) - exportTime(b));
	for (const d of ordered) {
		const kind = kindOf(d.doc.mlflow as Json);
		if (!kind) {
			ctx.skip(d.file.path, `export file of an unknown kind (script ${String((d.doc.system as Json).script)}): skipped`);
			continue;
		}
		push(byKind, kind, d);
	}
	for (const u of bundle.unreadable) ctx.skip(u.path, u.reason);
	const roots = new Set(bundle.docs.map((d) => d.file.path.split('/').slice(0, -1).slice(0, 3).join('/')));
	ctx.report.found.push(
		`mlflow-export-import files (${bundle.docs.length}) in ${[...roots].slice(0, 3).join(', ')}${roots.size > 3 ? '…' : ''}`
	);
	const docs = (k: Kind) => byKind.get(k) ?? [];
	const body = (d: JsonDocument) => d.doc.mlflow as Json;

	// Experiments first: a run's experiment is the experiment.json of the nearest folder above it.
	const experimentByDir = new Map<string, string>();
	for (const d of docs('experiment')) {
		const dir = dirOf(d.file.path);
		experimentByDir.set(dir, write.experiment(body(d).experiment as Json, dir));
	}
	const experimentAbove = (path: string) => {
		for (let dir = dirOf(path); dir; dir = dirOf(dir.slice(0, -1))) {
			const id = experimentByDir.get(dir);
			if (id !== undefined) return id;
		}
		return undefined;
	};

	const runs = docs('run');
	ctx.plan('reading', 0, runs.length);
	for (const d of runs) {
		ctx.check();
		const run = body(d);
		const info = run.info as Json;
		const tags = keyValues(run.tags);
		const experimentId =
			experimentAbove(d.file.path) ??
			write.experimentFor(
				String(info.experiment_id),
				tags['mlflow_export_import.metadata.experiment_name'] ?? (info._experiment_name as string | undefined),
				d.file.path
			);
		const runId = write.run(run, experimentId);
		ctx.artifactDirs.set(`${dirOf(d.file.path)}artifacts/`, runId);
		ctx.advance(d.file.size, 1);
	}

	for (const d of docs('model')) {
		const model = body(d).registered_model as Json;
		write.registeredModel(model);
		const versions = Array.isArray(model.versions) ? model.versions : Array.isArray(model.latest_versions) ? model.latest_versions : [];
		for (const v of versions) if (isObject(v)) write.modelVersion(v);
	}
	for (const d of docs('version')) write.modelVersion(body(d).model_version as Json);
	for (const d of docs('prompt')) write.prompt(body(d).prompt as Json);

	for (const d of docs('logged models')) {
		for (const e of body(d).experiments as unknown[]) {
			if (!isObject(e) || !Array.isArray(e.logged_models) || e.logged_models.length === 0) continue;
			const experimentId = experimentAbove(d.file.path) ?? write.experimentFor(String(e.id), e.name as string, d.file.path);
			for (const m of e.logged_models) if (isObject(m)) write.loggedModel(m, experimentId);
		}
	}
	await importTraces(
		docs('trace'),
		bundle,
		experimentAbove,
		(id, path) => write.experimentFor(id, traceExperimentNames(docs('summary')).get(id), path),
		ctx
	);

	for (const d of docs('evaluation dataset')) {
		const ds = body(d).evaluation_dataset as Json;
		const record = evaluationDatasetRecord(ds, (id) => experimentAbove(d.file.path) ?? write.experimentFor(id, undefined, d.file.path));
		if (!record) {
			ctx.skip(d.file.path, 'evaluation dataset without a dataset_id or name: skipped');
			continue;
		}
		ctx.writer.traces.evaluationDataset(record);
		ctx.counts.evaluationDatasets = (ctx.counts.evaluationDatasets ?? 0) + 1;
		ctx.counts.datasetRecords = (ctx.counts.datasetRecords ?? 0) + record.records.length;
	}
}

/** Experiment names from the bulk export-traces summary (`traces.json`: experiments [{id, name, traces}]). */
function traceExperimentNames(summaries: JsonDocument[]): Map<string, string> {
	const out = new Map<string, string>();
	for (const d of summaries) {
		const experiments = (d.doc.mlflow as Json).experiments;
		if (!Array.isArray(experiments)) continue;
		for (const e of experiments) if (isObject(e) && e.id !== undefined && typeof e.name === 'string') out.set(String(e.id), e.name);
	}
	return out;
}

/**
 * Traces exported by export-trace / export-traces (trace/export_trace.py): `trace.json` holds the
 * exporting MLflow's TraceInfo (v2 or v3 attribute names, assessments included), and the trace's
 * artifact folder is downloaded beside it, so its spans are the `traces.json` in the same folder.
 */
async function importTraces(
	docs: JsonDocument[],
	bundle: ExportImportBundle,
	experimentAbove: (path: string) => string | undefined,
	experimentFor: (sourceId: string, path: string) => string,
	ctx: ImportContext
): Promise<void> {
	for (const d of docs) {
		ctx.check();
		const info = (d.doc.mlflow as Json).info as Json;
		const sourceExperiment = infoExperimentId(info);
		const experimentId =
			experimentAbove(d.file.path) ?? (sourceExperiment !== null ? experimentFor(sourceExperiment, d.file.path) : undefined);
		const record = experimentId !== undefined ? traceFromInfo(info, experimentId) : null;
		if (!record) {
			ctx.skip(d.file.path, 'trace.json names no trace id or experiment: skipped');
			continue;
		}
		const spanFile = bundle.spanFiles.get(dirOf(d.file.path));
		if (spanFile) {
			const spans = parseSpanFile(textValue(await spanFile.bytes()));
			if (spans instanceof Error) ctx.skip(spanFile.path, `span file of trace ${record.traceId} is unreadable: ${spans.message}`);
			else record.spans = spans;
		}
		ctx.writer.traces.trace(record);
		ctx.counts.traces = (ctx.counts.traces ?? 0) + 1;
		ctx.counts.spans = (ctx.counts.spans ?? 0) + (record.spans?.length ?? 0);
		ctx.counts.assessments = (ctx.counts.assessments ?? 0) + record.assessments.length;
	}
}

const jsonText = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
const ms = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/**
 * `EvaluationDataset.to_dict()` as export-evaluation-dataset writes it: the dataset's fields, its
 * experiment_ids and its records ({inputs, expectations, outputs, tags, source, ...}; the tool's own
 * samples call expectations `targets`). Records without an id get one from their position.
 */
function evaluationDatasetRecord(ds: Json, experimentFor: (sourceId: string) => string): EvaluationDatasetRecord | null {
	const datasetId = ds.dataset_id ?? ds.id;
	if (datasetId === undefined || typeof ds.name !== 'string') return null;
	const id = String(datasetId);
	const records = Array.isArray(ds.records) ? ds.records.filter(isObject) : [];
	return {
		datasetId: id,
		name: ds.name,
		digest: jsonText(ds.digest),
		schema: jsonText(ds.schema),
		profile: jsonText(ds.profile),
		tags: jsonText(ds.tags),
		createdTime: ms(ds.created_time ?? ds.create_time),
		lastUpdateTime: ms(ds.last_update_time),
		createdBy: jsonText(ds.created_by),
		lastUpdatedBy: jsonText(ds.last_updated_by),
		experimentIds: (Array.isArray(ds.experiment_ids) ? ds.experiment_ids : []).map((e) => experimentFor(String(e))),
		records: records.map((r, i) => {
			const source = isObject(r.source) ? r.source : undefined;
			return {
				recordId: String(r.dataset_record_id ?? `${id}#${i + 1}`),
				inputs: jsonText(r.inputs) ?? '{}',
				expectations: jsonText(r.expectations ?? r.targets),
				outputs: jsonText(r.outputs),
				tags: jsonText(r.tags),
				source: jsonText(r.source),
				sourceType: jsonText(r.source_type ?? source?.source_type),
				sourceId: jsonText(r.source_id),
				createdTime: ms(r.created_time),
				lastUpdateTime: ms(r.last_update_time)
			};
		})
	};
}
