/**
 * What the two JSON importers (mlflow-export-import, REST responses) share: reading the JSON and
 * YAML documents of a tree once, and writing MLflow entities found in them with counts that stay
 * right when the same entity is in several files (export-import repeats runs across its layouts).
 */
import { push } from '../group';
import { parse as parseYaml } from 'yaml';
import type { SourceFile, SourceTree } from '../sources/tree';
import type { ImportContext } from './context';
import { textValue } from './parse';
import {
	experimentRecord,
	isObject,
	loggedModelRecord,
	modelVersionRecord,
	promptRecords,
	registeredModelRecord,
	runLinks,
	runRecord,
	seriesOf,
	versionAliases,
	type Json
} from './json-records';

export interface JsonDocument {
	file: SourceFile;
	doc: Json;
}

export interface JsonDocuments {
	docs: JsonDocument[];
	/** Files that look like documents but do not parse. */
	unreadable: { path: string; reason: string }[];
}

// JSON responses of a big server can be large, but a document is parsed whole; YAML dumps are
// small copies of JSON ones, and parsing YAML is ~20x slower, so big YAML files are not read.
const MAX_JSON = 512 << 20;
const MAX_YAML = 4 << 20;
const JSON_NAME = /\.json$/i;
const YAML_NAME = /\.ya?ml$/i;

const cache = new WeakMap<SourceTree, Promise<JsonDocuments>>();

/**
 * Every JSON or YAML mapping in the tree outside artifact folders (which hold user files, read by
 * the artifacts pass) and other than FileStore metas, parsed once per tree for all importers.
 */
export function jsonDocuments(tree: SourceTree): Promise<JsonDocuments> {
	let found = cache.get(tree);
	if (!found) cache.set(tree, (found = readDocuments(tree)));
	return found;
}

async function readDocuments(tree: SourceTree): Promise<JsonDocuments> {
	const out: JsonDocuments = { docs: [], unreadable: [] };
	for (const file of tree.files) {
		const name = file.path.slice(file.path.lastIndexOf('/') + 1);
		const json = JSON_NAME.test(name);
		if (!json && !(YAML_NAME.test(name) && name !== 'meta.yaml' && file.size <= MAX_YAML)) continue;
		if (file.size > MAX_JSON || file.path.split('/').includes('artifacts')) continue;
		try {
			const text = textValue(await file.bytes());
			const doc: unknown = json ? JSON.parse(text) : parseYaml(text);
			if (isObject(doc)) out.docs.push({ file, doc });
		} catch (err) {
			out.unreadable.push({ path: file.path, reason: `not valid ${json ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}` });
		}
	}
	return out;
}

export function dirOf(path: string): string {
	return path.slice(0, path.lastIndexOf('/') + 1);
}

/** A 32-hex run id named by the file or one of its folders (history files carry no run id). */
export function runIdInPath(path: string): string | undefined {
	const ids = path.match(/[0-9a-f]{32}/g);
	return ids?.[ids.length - 1];
}

/** Writes JSON entities through the import's writer, counting each entity once. */
export class JsonWrites {
	private experimentIds = new Map<string, string>();
	private seen = new Set<string>();

	constructor(private ctx: ImportContext) {}

	private first(kind: string, id: string): boolean {
		const k = `${kind}\u0000${id}`;
		if (this.seen.has(k)) return false;
		this.seen.add(k);
		return true;
	}

	/** Writes an experiment; `scope` keeps apart experiments of two servers that share an id. */
	experiment(e: Json, scope: string): string {
		const record = experimentRecord(e);
		const id = this.ctx.writer.experiment(record, scope);
		this.experimentIds.set(record.experimentId, id);
		if (this.first('experiment', id)) this.ctx.counts.experiments++;
		return id;
	}

	/**
	 * The store id for a run's experiment known only by its source id: one written by this import,
	 * else one already in the store, else a stand-in named after `nameHint` so the run has a home.
	 */
	experimentFor(sourceId: string, nameHint: string | undefined, path: string): string {
		const known = this.experimentIds.get(sourceId);
		if (known !== undefined) return known;
		if (this.ctx.writer.experimentName(sourceId) !== undefined) return sourceId;
		const name = nameHint || `Experiment ${sourceId}`;
		const id = this.experiment({ experiment_id: sourceId, name, lifecycle_stage: 'active' }, '');
		this.ctx.note(`${path}: experiment ${sourceId} came without its metadata; its runs are kept in an experiment named "${name}".`);
		return id;
	}

	/** Writes a run (`runs/get` or export-import shape); returns its id. */
	run(run: Json, experimentId: string): string {
		const r = runRecord(run, experimentId);
		const points = this.ctx.writer.run(r.record, r.latestOnly);
		const links = runLinks(r);
		for (const d of links.datasets) {
			this.ctx.writer.dataset(d);
			if (this.first('dataset', d.datasetUuid)) this.ctx.counts.datasets++;
		}
		for (const i of links.inputs) this.ctx.writer.input(i);
		if (this.first('run', r.record.runUuid)) {
			this.ctx.counts.runs++;
			this.ctx.counts.metricPoints += points;
		}
		return r.record.runUuid;
	}

	/** A `metrics/get-history` page for a run already imported; false when the run is unknown. */
	history(runId: string, metrics: Json[]): boolean {
		if (!this.ctx.writer.hasOwner(runId)) return false;
		const byKey = new Map<string, Json[]>();
		for (const m of metrics) {
			push(byKey, String(m.key), m);
		}
		for (const [key, points] of byKey) {
			this.ctx.counts.metricPoints += this.ctx.writer.metricSeries(runId, key, seriesOf(points), true, false);
		}
		return true;
	}

	registeredModel(m: Json): void {
		const record = registeredModelRecord(m);
		this.ctx.writer.registeredModel(record);
		if (this.first('model', record.name)) this.ctx.counts.registeredModels++;
	}

	modelVersion(v: Json): void {
		const record = modelVersionRecord(v);
		this.ctx.writer.ensureRegisteredModel(record.name, record.creationTime);
		this.ctx.writer.modelVersion(record);
		for (const alias of versionAliases(v)) this.ctx.writer.alias(record.name, alias, record.version);
		if (this.first('version', `${record.name}\u0000${record.version}`)) this.ctx.counts.modelVersions++;
	}

	prompt(p: Json): void {
		const { model, version } = promptRecords(p);
		this.ctx.writer.ensureRegisteredModel(model.name, model.creationTime);
		for (const [k, v] of Object.entries(model.tags)) this.ctx.writer.registeredModelTag(model.name, k, v);
		this.ctx.writer.modelVersion(version);
		if (this.first('model', model.name)) this.ctx.counts.registeredModels++;
		if (this.first('version', `${version.name}\u0000${version.version}`)) this.ctx.counts.modelVersions++;
	}

	loggedModel(m: Json, experimentId: string): void {
		const record = loggedModelRecord(m, experimentId);
		this.ctx.writer.loggedModel(record);
		if (this.first('logged model', record.modelId)) this.ctx.counts.loggedModels++;
	}
}
