/**
 * MLflow FileStore (`mlruns/`) importer, every on-disk variant of MLflow 0.x to 3.x
 * (see ../shared/docs/mlflow-formats.md). Roots are found by shape, not by name: a folder holding
 * `<digits>/meta.yaml` experiments or `<digits>/<32 hex>/` runs (Ultralytics writes `runs/mlflow/`).
 */
import {
	loggedModelStatus,
	runStatus,
	sourceType,
	type ExperimentRecord,
	type KeyValues,
	type LoggedModelMetricPoint,
	type RunRecord
} from '../db/entities';
import type { Series } from '../db/series-codec';
import type { SourceFile, SourceTree } from '../sources/tree';
import type { ImportContext } from './context';
import { assessmentFromDict, traceFromInfo } from './trace-dicts';
import { field, MetaError, num, parseMeta, parseMetricLines, str, textValue, type FieldKind } from './parse';

const RUN_ID = /^[0-9a-f]{32}$/;
/**
 * The largest metric file read: 1 GB, ~30 million points (a 20M-point history is ~640 MB of
 * text); its bytes, then its arrays (24 bytes a point), sit in memory while it is parsed.
 */
export const MAX_METRIC_FILE_BYTES = 1024 * 2 ** 20;
const EXPERIMENT_ID = /^\d+$/;
const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;
const VERSION_DIR = /^version-(\d+)$/;
/** Folders of a run that hold MLflow data (anything else, e.g. only `artifacts/`, is not a run record). */
const RUN_DATA = new Set(['meta.yaml', 'params', 'metrics', 'tags', 'inputs', 'outputs']);

interface RunDir {
	id: string;
	path: string;
	files: Map<string, SourceFile>; // path inside the run folder -> file
}

interface ExperimentDir {
	id: string;
	path: string;
	trashed: boolean;
	meta?: SourceFile;
	tags: Map<string, SourceFile>;
	runs: Map<string, RunDir>;
	datasets: Map<string, SourceFile>;
	models: Map<string, RunDir>; // logged models share a run's layout
	/** MLflow 3 trace folders: trace id -> path inside `traces/<id>/` -> file (spans: trace-artifacts.ts). */
	traces: Map<string, Map<string, SourceFile>>;
}

interface RegisteredModelDir {
	path: string;
	meta?: SourceFile;
	tags: Map<string, SourceFile>;
	aliases: Map<string, SourceFile>;
	versions: Map<number, { meta?: SourceFile; tags: Map<string, SourceFile> }>;
}

export interface FileStoreRoot {
	path: string;
	experiments: Map<string, ExperimentDir>;
	models: Map<string, RegisteredModelDir>;
}

/** Roots named mlartifacts hold only a tracking server's artifacts; the artifacts pass reads them. */
function isArtifactRoot(root: string): boolean {
	return root.split('/').pop() === 'mlartifacts';
}

/** Finds every FileStore root in a tree and groups its files. */
export function findFileStores(tree: SourceTree): FileStoreRoot[] {
	const roots = new Map<string, FileStoreRoot>();
	const root = (path: string) => {
		let r = roots.get(path);
		if (!r) roots.set(path, (r = { path, experiments: new Map(), models: new Map() }));
		return r;
	};
	const experiment = (rootPath: string, trashed: boolean, id: string) => {
		const r = root(rootPath);
		const key = `${trashed ? '.trash/' : ''}${id}`;
		let e = r.experiments.get(key);
		if (!e) {
			const path = join(rootPath, key);
			r.experiments.set(
				key,
				(e = { id, path, trashed, tags: new Map(), runs: new Map(), datasets: new Map(), models: new Map(), traces: new Map() })
			);
		}
		return e;
	};
	const pending: { segs: string[]; file: SourceFile }[] = [];

	for (const file of tree.files) {
		const segs = file.path.split('/');
		// <root>/[.trash/]<exp>/<run>/<data...>
		const runAt = segs.findIndex((s, i) => i >= 1 && RUN_ID.test(s) && EXPERIMENT_ID.test(segs[i - 1]) && i + 1 < segs.length);
		if (runAt !== -1) {
			const trashed = segs[runAt - 2] === '.trash';
			const rootPath = segs.slice(0, runAt - (trashed ? 2 : 1)).join('/');
			if (isArtifactRoot(rootPath)) continue;
			if (!RUN_DATA.has(segs[runAt + 1])) continue; // e.g. artifacts/: the artifacts pass reads it
			const e = experiment(rootPath, trashed, segs[runAt - 1]);
			const id = segs[runAt];
			let run = e.runs.get(id);
			if (!run) e.runs.set(id, (run = { id, path: join(e.path, id), files: new Map() }));
			run.files.set(segs.slice(runAt + 1).join('/'), file);
			continue;
		}
		pending.push({ segs, file });
	}

	for (const { segs, file } of pending) {
		const n = segs.length;
		// <root>/[.trash/]<exp>/meta.yaml
		if (n >= 2 && segs[n - 1] === 'meta.yaml' && EXPERIMENT_ID.test(segs[n - 2]) && segs[n - 3] !== 'models') {
			const trashed = segs[n - 3] === '.trash';
			const rootPath = segs.slice(0, n - (trashed ? 3 : 2)).join('/');
			if (isArtifactRoot(rootPath) || segs.includes('artifacts')) continue;
			experiment(rootPath, trashed, segs[n - 2]).meta = file;
		}
	}

	// Everything else is addressed relative to a root found above.
	const known = [...roots.keys()].sort((a, b) => b.length - a.length);
	for (const { segs, file } of pending) {
		const path = segs.join('/');
		const rootPath = known.find((r) => r === '' || path.startsWith(r + '/'));
		if (rootPath === undefined) continue;
		const rel = (rootPath === '' ? segs : segs.slice(rootPath.split('/').length)).slice();
		const trashed = rel[0] === '.trash';
		if (trashed) rel.shift();
		if (rel.length >= 3 && EXPERIMENT_ID.test(rel[0])) {
			const e = experiment(rootPath, trashed, rel[0]);
			if (rel[1] === 'tags') e.tags.set(rel.slice(2).join('/'), file);
			else if (rel[1] === 'datasets' && rel.length === 4 && rel[3] === 'meta.yaml') e.datasets.set(rel[2], file);
			else if (rel[1] === 'traces' && rel.length >= 4 && rel[3] !== 'artifacts') {
				let t = e.traces.get(rel[2]);
				if (!t) e.traces.set(rel[2], (t = new Map()));
				t.set(rel.slice(3).join('/'), file);
			} else if (rel[1] === 'models' && LOGGED_MODEL_ID.test(rel[2]) && rel.length >= 4 && rel[3] !== 'artifacts') {
				let m = e.models.get(rel[2]);
				if (!m) e.models.set(rel[2], (m = { id: rel[2], path: join(e.path, `models/${rel[2]}`), files: new Map() }));
				m.files.set(rel.slice(3).join('/'), file);
			}
		} else if (!trashed && rel[0] === 'models' && rel.length >= 3) {
			const r = root(rootPath);
			let m = r.models.get(rel[1]);
			if (!m)
				r.models.set(rel[1], (m = { path: join(rootPath, `models/${rel[1]}`), tags: new Map(), aliases: new Map(), versions: new Map() }));
			const version = VERSION_DIR.exec(rel[2]);
			if (rel.length === 3 && rel[2] === 'meta.yaml') m.meta = file;
			else if (rel[2] === 'tags') m.tags.set(rel.slice(3).join('/'), file);
			else if (rel[2] === 'aliases' && rel.length === 4) m.aliases.set(rel[3], file);
			else if (version) {
				const v = Number(version[1]);
				let entry = m.versions.get(v);
				if (!entry) m.versions.set(v, (entry = { tags: new Map() }));
				if (rel.length === 4 && rel[3] === 'meta.yaml') entry.meta = file;
				else if (rel[3] === 'tags') entry.tags.set(rel.slice(4).join('/'), file);
			}
		}
	}
	return [...roots.values()].filter((r) => r.experiments.size > 0 || r.models.size > 0);
}

function join(a: string, b: string): string {
	return a === '' ? b : `${a}/${b}`;
}

function dirLabel(path: string): string {
	return `${path}/`;
}

async function keyValues(files: Map<string, SourceFile>, ctx: ImportContext): Promise<KeyValues> {
	const entries: [string, string][] = [];
	for (const [key, file] of files) {
		entries.push([key, textValue(await file.bytes())]);
		ctx.advance(file.size);
	}
	// fromEntries: a key named `__proto__` is a key like any other (assignment would drop it).
	return Object.fromEntries(entries);
}

/** Files under `prefix/` of a run folder, keyed by the rest of their path (a key may hold '/'). */
function under(files: Map<string, SourceFile>, prefix: string): Map<string, SourceFile> {
	const out = new Map<string, SourceFile>();
	for (const [p, f] of files) if (p.startsWith(prefix + '/')) out.set(p.slice(prefix.length + 1), f);
	return out;
}

function firstOrder(files: Iterable<SourceFile>): number {
	let min = Infinity;
	for (const f of files) if (f.order < min) min = f.order;
	return min;
}

function bytesOf(files: Iterable<SourceFile>): number {
	let n = 0;
	for (const f of files) n += f.size;
	return n;
}

export async function importFileStore(root: FileStoreRoot, ctx: ImportContext): Promise<void> {
	const w = ctx.writer;
	const scope = `mlruns:${root.path}`;
	// Experiments and runs in archive order, so reads stay sequential (see windowedReader).
	const order = new Map<ExperimentDir, number>();
	for (const e of root.experiments.values()) {
		let first = e.meta?.order ?? Infinity;
		for (const r of e.runs.values()) first = Math.min(first, firstOrder(r.files.values()));
		order.set(e, first);
	}
	// A trashed copy of an id that also lives in the root comes after it, so the root's keeps the id.
	const experiments = [...root.experiments.values()].sort(
		(a, b) =>
			Number(a.trashed && root.experiments.has(a.id)) - Number(b.trashed && root.experiments.has(b.id)) || order.get(a)! - order.get(b)!
	);
	let runsTotal = 0;
	let bytesTotal = 0;
	for (const e of experiments) {
		runsTotal += e.runs.size;
		for (const r of e.runs.values()) bytesTotal += bytesOf(r.files.values());
	}
	ctx.report.found.push(`MLflow FileStore ${root.path === '' ? '(archive root)' : root.path + '/'}`);
	ctx.plan('reading', bytesTotal, runsTotal);

	for (const e of experiments) {
		ctx.check();
		const record = await experimentRecord(e, ctx);
		if (!record) {
			if (e.traces.size) ctx.skip(`${e.path}/traces/`, `${e.traces.size} trace(s) of an experiment that was not imported: skipped`);
			continue;
		}
		// The same id in mlruns/<id> and mlruns/.trash/<id> (two stores merged): MLflow resolves the
		// id to mlruns/<id> (file_store.py, _get_experiment_path) and never lists the trashed copy's
		// runs. That copy is kept apart, as a deleted experiment under a fresh id.
		const shadowed = e.trashed && root.experiments.has(e.id);
		const experimentId = w.experiment(record, shadowed ? `${scope}/.trash` : scope, shadowed);
		if (shadowed) {
			ctx.note(
				`${dirLabel(e.path)} has the id of ${dirLabel(root.experiments.get(e.id)!.path)}, which is experiment ${e.id} as MLflow reads it; the trashed copy "${record.name}" and its ${e.runs.size} run(s) were imported as deleted experiment ${experimentId}.`
			);
		}
		ctx.counts.experiments++;

		for (const [datasetId, file] of e.datasets) {
			try {
				const m = parseMeta(await file.bytes());
				w.dataset({
					datasetUuid: datasetId,
					experimentId,
					name: str(m.name) ?? datasetId,
					digest: str(m.digest) ?? '',
					sourceType: str(m.source_type),
					source: str(m.source),
					schema: str(m.schema),
					profile: str(m.profile)
				});
				ctx.counts.datasets++;
			} catch (err) {
				if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
				ctx.skip(file.path, `dataset meta.yaml is unreadable: ${(err as Error).message}`);
			}
		}

		const runs = [...e.runs.values()].sort((a, b) => firstOrder(a.files.values()) - firstOrder(b.files.values()));
		for (const run of runs) {
			ctx.check();
			const r = await runRecord(run, experimentId, ctx);
			if (r) {
				ctx.counts.metricPoints += w.run(r);
				ctx.counts.runs++;
				await runInputs(run, ctx);
			}
			ctx.advance(0, 1);
		}

		for (const model of e.models.values()) await loggedModel(model, experimentId, ctx);
		for (const [traceId, files] of e.traces) await importTraceFolder(`${e.path}/traces/${traceId}`, files, experimentId, ctx);
	}
	await registry(root, ctx);
}

/**
 * One FileStore trace folder (mlflow-genai-formats.md §4): `trace_info.yaml` (v2 or v3 dict),
 * `request_metadata/` and `tags/` (a file per key), `assessments/<id>.yaml`.
 */
async function importTraceFolder(path: string, files: Map<string, SourceFile>, experimentId: string, ctx: ImportContext): Promise<void> {
	ctx.check();
	const infoFile = files.get('trace_info.yaml');
	if (!infoFile) {
		ctx.skip(`${path}/`, 'trace folder has no trace_info.yaml: skipped');
		return;
	}
	let info: Record<string, unknown>;
	try {
		info = parseMeta(await infoFile.bytes());
	} catch (err) {
		if (!(err instanceof MetaError)) throw err;
		ctx.skip(infoFile.path, `trace_info.yaml is unreadable (${err.message}): trace skipped`);
		return;
	}
	const record = traceFromInfo(info, experimentId, {
		tags: await keyValues(under(files, 'tags'), ctx),
		metadata: await keyValues(under(files, 'request_metadata'), ctx)
	});
	if (!record) {
		ctx.skip(infoFile.path, 'trace_info.yaml names no trace_id or request_id: trace skipped');
		return;
	}
	for (const [name, file] of under(files, 'assessments')) {
		try {
			const a = assessmentFromDict(parseMeta(await file.bytes()), record.traceId);
			if (a) record.assessments.push(a);
			else ctx.skip(file.path, `assessment ${name} names no assessment_id or name: skipped`);
		} catch (err) {
			if (!(err instanceof MetaError)) throw err;
			ctx.skip(file.path, `assessment is unreadable (${err.message}): skipped`);
		}
	}
	for (const [rel, file] of files) {
		if (rel !== 'trace_info.yaml' && !/^(tags|request_metadata|assessments)\//.test(rel))
			ctx.skip(file.path, 'not a file of an MLflow trace folder: not imported');
	}
	ctx.writer.traces.trace(record);
	ctx.counts.traces = (ctx.counts.traces ?? 0) + 1;
	ctx.counts.assessments = (ctx.counts.assessments ?? 0) + record.assessments.length;
}

async function experimentRecord(e: ExperimentDir, ctx: ImportContext): Promise<ExperimentRecord | undefined> {
	const tags = await keyValues(e.tags, ctx);
	if (!e.meta) {
		if (e.runs.size === 0) {
			if (e.tags.size > 0) ctx.skip(dirLabel(e.path), 'experiment folder has tags but no meta.yaml');
			return undefined;
		}
		// MLflow's own UI hides such runs; they are real data (PyCaret wrote 317 of them), so keep them.
		const name = `Experiment ${e.id} (no meta.yaml)`;
		ctx.note(
			`Experiment folder ${dirLabel(e.path)} has no meta.yaml: its ${e.runs.size} run(s) were imported into an experiment named "${name}".`
		);
		return {
			experimentId: e.id,
			name,
			artifactLocation: null,
			lifecycleStage: e.trashed ? 'deleted' : 'active',
			creationTime: null,
			lastUpdateTime: null,
			tags
		};
	}
	let m: Record<string, unknown>;
	try {
		m = parseMeta(await e.meta.bytes());
	} catch (err) {
		if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
		ctx.skip(e.meta.path, `experiment meta.yaml is unreadable (${(err as Error).message}): ${e.runs.size} run(s) skipped`);
		return undefined;
	}
	ctx.advance(e.meta.size);
	m = checkedFields(m, e.meta.path, ctx, {
		experiment_id: 'text',
		creation_time: 'time',
		last_update_time: 'time',
		artifact_location: 'text'
	});
	if (m.name === undefined || m.name === null || typeof m.name === 'object') {
		ctx.skip(e.meta.path, `not an experiment meta.yaml (no name): ${e.runs.size} run(s) skipped`);
		return undefined;
	}
	// MLflow 1.x left `lifecycle_stage: active` in experiments it moved to .trash/.
	const deleted = e.trashed || m.lifecycle_stage === 'deleted';
	return {
		experimentId: str(m.experiment_id) ?? e.id,
		name: String(m.name),
		artifactLocation: str(m.artifact_location),
		lifecycleStage: deleted ? 'deleted' : 'active',
		creationTime: num(m.creation_time),
		lastUpdateTime: num(m.last_update_time),
		tags: { ...tags, ...metaTags(m.tags) }
	};
}

/** Newer metas may carry `tags: {k: v}`; older ones `tags: []` (tags live in files). */
function metaTags(v: unknown): KeyValues {
	const out: KeyValues = {};
	if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
	return out;
}

async function metricsOf(files: Map<string, SourceFile>, ctx: ImportContext, label: string): Promise<Map<string, Series>> {
	const out = new Map<string, Series>();
	for (const [key, file] of files) {
		if (file.size > MAX_METRIC_FILE_BYTES) {
			ctx.skip(
				file.path,
				`metric "${key}" of ${label} is ${(file.size / 2 ** 20).toFixed(0)} MB, more than the ${MAX_METRIC_FILE_BYTES / 2 ** 20} MB (about 30 million points) one history may hold in a tab: skipped`
			);
			ctx.advance(file.size);
			continue;
		}
		const parsed = parseMetricLines(await file.bytes());
		ctx.advance(file.size);
		if (parsed.badLines > 0) ctx.skip(file.path, `${parsed.badLines} malformed line(s) in metric "${key}" of ${label}`);
		if (parsed.series.values.length === 0 && parsed.badLines === 0) {
			// MLflow itself fails on such a file ("Metric ... is malformed. No data found.").
			ctx.skip(file.path, `metric "${key}" of ${label} has an empty file (${file.size} bytes): no points`);
			continue;
		}
		out.set(key, parsed.series);
	}
	return out;
}

async function runRecord(run: RunDir, experimentId: string, ctx: ImportContext): Promise<RunRecord | undefined> {
	const metaFile = run.files.get('meta.yaml');
	if (!metaFile) {
		const what = ['params', 'metrics', 'tags'].map((p) => `${under(run.files, p).size} ${p}`).join(', ');
		ctx.skip(dirLabel(run.path), `run folder has no meta.yaml (${what}): skipped`);
		ctx.advance(bytesOf(run.files.values()));
		return undefined;
	}
	let m: Record<string, unknown>;
	try {
		m = parseMeta(await metaFile.bytes());
	} catch (err) {
		if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
		ctx.skip(metaFile.path, `run meta.yaml is unreadable (${(err as Error).message}): run skipped`);
		return undefined;
	}
	ctx.advance(metaFile.size);
	m = checkedFields(m, metaFile.path, ctx, {
		start_time: 'time',
		end_time: 'time',
		deleted_time: 'time',
		user_id: 'text',
		run_name: 'text',
		name: 'text',
		source_name: 'text',
		source_version: 'text',
		entry_point_name: 'text',
		artifact_uri: 'text'
	});
	const params = await keyValues(under(run.files, 'params'), ctx);
	const tags = await keyValues(under(run.files, 'tags'), ctx);
	const metrics = await metricsOf(under(run.files, 'metrics'), ctx, `run ${run.id}`);
	// A run keeps its own lifecycle when its experiment is deleted, as in MLflow.
	const lifecycle = m.lifecycle_stage === 'deleted' ? 'deleted' : 'active';
	const nonEmpty = (v: unknown) => (v === '' ? null : str(v));
	return {
		runUuid: run.id,
		experimentId,
		// 2.x writes run_name; 1.x wrote `name: ''` and kept the name in the mlflow.runName tag.
		name: nonEmpty(m.run_name) ?? nonEmpty(m.name) ?? tags['mlflow.runName'] ?? null,
		sourceType: sourceType(m.source_type) ?? tags['mlflow.source.type'] ?? null,
		sourceName: nonEmpty(m.source_name) ?? tags['mlflow.source.name'] ?? null,
		entryPointName: nonEmpty(m.entry_point_name),
		userId: nonEmpty(m.user_id) ?? tags['mlflow.user'] ?? null,
		status: runStatus(m.status),
		startTime: num(m.start_time),
		endTime: num(m.end_time),
		deletedTime: num(m.deleted_time),
		sourceVersion: nonEmpty(m.source_version) ?? tags['mlflow.source.git.commit'] ?? null,
		lifecycleStage: lifecycle,
		artifactUri: str(m.artifact_uri),
		params,
		tags,
		metrics
	};
}

async function runInputs(run: RunDir, ctx: ImportContext): Promise<void> {
	for (const [rel, file] of run.files) {
		const [kind, id, leaf] = rel.split('/');
		if (leaf !== 'meta.yaml' || (kind !== 'inputs' && kind !== 'outputs')) continue;
		try {
			const m = parseMeta(await file.bytes());
			ctx.advance(file.size);
			if (kind === 'inputs') {
				// Real metas carry destination_id = the dataset id; the run is the folder it sits in.
				ctx.writer.input({
					inputUuid: id,
					sourceType: str(m.source_type) ?? 'DATASET',
					sourceId: str(m.source_id) ?? '',
					destinationType: str(m.destination_type) ?? 'RUN',
					destinationId: run.id,
					step: num(m.step) ?? 0,
					tags: metaTags(m.tags)
				});
			} else {
				ctx.writer.input({
					inputUuid: `${run.id}-${id}`,
					sourceType: 'RUN_OUTPUT',
					sourceId: run.id,
					destinationType: 'MODEL_OUTPUT',
					destinationId: id,
					step: num(m.step) ?? 0,
					tags: metaTags(m.tags)
				});
			}
		} catch (err) {
			if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
			ctx.skip(file.path, `run ${kind.slice(0, -1)} meta.yaml is unreadable: ${(err as Error).message}`);
		}
	}
}

async function loggedModel(model: RunDir, experimentId: string, ctx: ImportContext): Promise<void> {
	const metaFile = model.files.get('meta.yaml');
	if (!metaFile) {
		ctx.skip(dirLabel(model.path), 'logged model folder has no meta.yaml: skipped');
		return;
	}
	let m: Record<string, unknown>;
	try {
		m = parseMeta(await metaFile.bytes());
	} catch (err) {
		if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
		ctx.skip(metaFile.path, `logged model meta.yaml is unreadable: ${(err as Error).message}`);
		return;
	}
	const metrics: LoggedModelMetricPoint[] = [];
	for (const [key, file] of under(model.files, 'metrics')) {
		const parsed = parseMetricLines(await file.bytes(), true);
		const s = parsed.series;
		for (let i = 0; i < s.values.length; i++) {
			metrics.push({ key, value: s.values[i], timestamp: s.timestamps[i], step: s.steps[i], runId: parsed.runIds?.[i] ?? null });
		}
	}
	ctx.writer.loggedModel({
		modelId: str(m.model_id) ?? model.id,
		experimentId,
		name: str(m.name) ?? model.id,
		artifactLocation: str(m.artifact_location),
		creationTime: num(m.creation_timestamp),
		lastUpdatedTime: num(m.last_updated_timestamp),
		status: loggedModelStatus(m.status),
		lifecycleStage: m.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
		modelType: str(m.model_type) || null,
		sourceRunId: str(m.source_run_id),
		statusMessage: str(m.status_message),
		params: await keyValues(under(model.files, 'params'), ctx),
		tags: await keyValues(under(model.files, 'tags'), ctx),
		metrics
	});
	ctx.counts.loggedModels++;
}

async function registry(root: FileStoreRoot, ctx: ImportContext): Promise<void> {
	for (const [folder, model] of root.models) {
		ctx.check();
		if (!model.meta) {
			ctx.skip(dirLabel(model.path), `registered model folder has no meta.yaml: ${model.versions.size} version(s) skipped`);
			continue;
		}
		let m: Record<string, unknown>;
		try {
			m = parseMeta(await model.meta.bytes());
		} catch (err) {
			if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
			ctx.skip(
				model.meta.path,
				`registered model meta.yaml is unreadable (${(err as Error).message}): ${model.versions.size} version(s) skipped`
			);
			continue;
		}
		const name = str(m.name) ?? folder;
		const aliases: Record<string, number> = {};
		if (m.aliases && typeof m.aliases === 'object' && !Array.isArray(m.aliases)) {
			for (const [a, v] of Object.entries(m.aliases)) aliases[a] = Number(v);
		}
		for (const [a, file] of model.aliases) aliases[a] = Number(textValue(await file.bytes()).trim());
		ctx.writer.registeredModel({
			name,
			creationTime: num(m.creation_timestamp),
			lastUpdatedTime: num(m.last_updated_timestamp),
			description: str(m.description),
			tags: await keyValues(model.tags, ctx),
			aliases
		});
		ctx.counts.registeredModels++;
		for (const [version, entry] of model.versions) {
			if (!entry.meta) {
				ctx.skip(`${model.path}/version-${version}/`, 'model version folder has no meta.yaml: skipped');
				continue;
			}
			let v: Record<string, unknown>;
			try {
				v = parseMeta(await entry.meta.bytes());
			} catch (err) {
				if (!(err instanceof MetaError)) throw err; // a corrupt archive fails the whole import
				ctx.skip(entry.meta.path, `model version meta.yaml is unreadable: ${(err as Error).message}`);
				continue;
			}
			if (v.current_stage === 'Deleted_Internal') {
				// MLflow's soft delete: hidden from every search and get; not a version any more.
				ctx.skip(entry.meta.path, `version ${version} of model "${name}" was deleted in MLflow (stage Deleted_Internal): not imported`);
				continue;
			}
			ctx.writer.modelVersion({
				name,
				version: num(v.version) ?? version,
				creationTime: num(v.creation_timestamp),
				lastUpdatedTime: num(v.last_updated_timestamp),
				description: str(v.description),
				userId: str(v.user_id),
				currentStage: str(v.current_stage) ?? 'None',
				source: str(v.source),
				runId: str(v.run_id),
				status: str(v.status),
				statusMessage: str(v.status_message),
				runLink: str(v.run_link),
				storageLocation: str(v.storage_location),
				modelId: str(v.model_id) || null,
				tags: { ...metaTags(v.tags), ...(await keyValues(entry.tags, ctx)) }
			});
			ctx.counts.modelVersions++;
		}
	}
}

/**
 * The meta with each listed field checked for its type: a value of the wrong type (a mapping
 * where an id belongs, `start_time: yesterday`, a negative time) is left empty, and the report
 * says which field of which file, rather than storing "[object Object]" or a date in 1969.
 */
function checkedFields(
	m: Record<string, unknown>,
	path: string,
	ctx: ImportContext,
	kinds: Record<string, FieldKind>
): Record<string, unknown> {
	const out = { ...m };
	for (const [name, kind] of Object.entries(kinds)) {
		const f = field(m[name], kind);
		if (f.bad) ctx.skip(path, `${name} ${f.bad}: left empty`);
		out[name] = f.value;
	}
	return out;
}
