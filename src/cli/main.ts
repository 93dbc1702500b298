/**
 * The `trackside` CLI. It uses the same importers and queries as the browser worker; only the
 * sources (files on disk) and the output (a store file, JSON on stdout) differ.
 */
import type { SqlJsStatic } from 'sql.js';
import { sqlJsNode } from './sqljs-node';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../lib/db/store';
import { importTree } from '../lib/importers';
import type { ViewType } from '../lib/db/queries';
import { jsonDouble } from '../lib/db/rest-types';
import { openPath } from './node-sources';
import { MlflowClient } from '../lib/remote/client';
import { listExperiments, newPullState } from '../lib/remote/pull';
import { pullInto } from '../lib/remote';
import { EXPORT_FORMATS, exportFile, type ExportFormat } from '../lib/export';
import { writeSnapshot } from '../lib/snapshot/build';
import { HEADERS_FILE, publishSite, SNAPSHOT_FILE } from './publish';

const USAGE = `Usage:
  trackside import <inputs...> --db <store.sqlite>
  trackside experiments <store-or-inputs...> [--view-type active|deleted|all] --json
  trackside runs <store-or-inputs...> [--experiment-id ID] [--view-type active|deleted|all] --json
  trackside models <store-or-inputs...> --json
  trackside versions <store-or-inputs...> --json
  trackside history <store-or-inputs...> --run-id RUN --metric KEY --json
  trackside pull <tracking-server-url> --db <store.sqlite> [--experiment-id ID[,ID...]] [--token T] [--no-registry] [--artifacts-mb N]
  trackside export <store-or-inputs...> --format mlruns|mlflow-db|rest-json -o <file>
  trackside snapshot <inputs...> -o <name.trackside> [--experiment-id ID[,ID...]] [--artifacts none|all|<MB each>]
  trackside publish <inputs-or-snapshot...> --out <site/> [--experiment-id ...] [--artifacts ...]

Inputs are mlruns folders, zips of them, mlflow.db files, mlflow-export-import output (a folder
or zip) and MLflow REST API JSON files. A Trackside store file (written by
'trackside import') is read as it is; any other input is imported in memory first.`;

class UsageError extends Error {}

interface Args {
	command: string;
	inputs: string[];
	flags: Record<string, string | true>;
}

/** The built app (`npm run build`), which `publish` copies. */
const SITE = fileURLToPath(new URL('../../build/', import.meta.url));

const VALUE_FLAGS = new Set(['db', 'view-type', 'experiment-id', 'run-id', 'metric', 'token', 'format', 'o', 'artifacts-mb', 'artifacts', 'out']);
const COMMANDS = new Set(['import', 'experiments', 'runs', 'models', 'versions', 'history', 'pull', 'export', 'snapshot', 'publish']);

export function parseArgs(argv: string[]): Args {
	const [command, ...rest] = argv;
	if (!command || command === '--help' || command === '-h') throw new UsageError('');
	if (!COMMANDS.has(command)) throw new UsageError(`unknown command ${command}`);
	const inputs: string[] = [];
	const flags: Record<string, string | true> = {};
	for (let i = 0; i < rest.length; i++) {
		const a = rest[i];
		if (a.startsWith('--') || a === '-o') {
			const [name, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2);
			if (VALUE_FLAGS.has(name)) {
				const v = inline ?? rest[++i];
				if (v === undefined) throw new UsageError(`--${name} needs a value`);
				flags[name] = v;
			} else if (name === 'json' || name === 'no-registry') flags[name] = true;
			else throw new UsageError(`unknown option --${name}`);
		} else inputs.push(a);
	}
	return { command, inputs, flags };
}

function isTracksideStore(path: string): boolean {
	if (!existsSync(path) || !path.match(/\.(sqlite|sqlite3|db|trackside)$/i)) return false;
	const head = Buffer.alloc(100);
	const fd = openSync(path, 'r');
	try {
		readSync(fd, head, 0, 100, 0);
	} finally {
		closeSync(fd);
	}
	// A Trackside store has user_version > 0 (bytes 60-63 of the header) and no alembic table.
	const userVersion = head.readUInt32BE(60);
	return head.toString('latin1', 0, 15) === 'SQLite format 3' && userVersion > 0;
}

async function openStore(inputs: string[]): Promise<Store> {
	const SQL = await sqlJsNode();
	if (inputs.length === 1 && isTracksideStore(inputs[0])) return Store.open(SQL, readFileSync(inputs[0]));
	const store = Store.open(SQL);
	await importAll(SQL, store, inputs);
	return store;
}

async function importAll(SQL: SqlJsStatic, store: Store, inputs: string[]) {
	const reports = [];
	for (const input of inputs) {
		if (!existsSync(input)) throw new Error(`${input}: no such file or folder`);
		const tree = await openPath(input);
		try {
			reports.push(await importTree(SQL, store, tree));
		} finally {
			await tree.close?.();
		}
	}
	return reports;
}

function viewType(flags: Args['flags']): ViewType {
	const v = (flags['view-type'] as string | undefined)?.toLowerCase() ?? 'active';
	const map: Record<string, ViewType> = { active: 'active', active_only: 'active', deleted: 'deleted', deleted_only: 'deleted', all: 'all' };
	if (!map[v]) throw new UsageError(`--view-type must be active, deleted or all (got ${v})`);
	return map[v];
}

/**
 * A snapshot of the inputs, with their artifacts' bytes (kept while importing), streamed to a file
 * written beside its final name and renamed: a failure never leaves a half-written snapshot.
 */
async function writeSnapshotFile(inputs: string[], flags: Args['flags'], target: string): Promise<void> {
	const a = String(flags.artifacts ?? 'all');
	const artifacts = a === 'none' || a === 'all' ? a : Number(a) * 1e6;
	if (typeof artifacts === 'number' && !(artifacts >= 0)) throw new UsageError('--artifacts must be none, all or a size in MB');
	const SQL = await sqlJsNode();
	const store = Store.open(SQL);
	const bytes = new Map<string, Uint8Array>();
	for (const input of inputs) {
		if (!existsSync(input)) throw new Error(`${input}: no such file or folder`);
		const tree = await openPath(input);
		try {
			await importTree(SQL, store, tree, { saveArtifact: async (owner, path, file) => void bytes.set(`${owner}/${path}`, await file.bytes()) });
		} finally {
			await tree.close?.();
		}
	}
	const fd = openSync(`${target}.tmp`, 'w');
	try {
		await writeSnapshot(
			SQL,
			store,
			{
				experimentIds: flags['experiment-id'] ? String(flags['experiment-id']).split(',') : undefined,
				artifacts,
				readArtifact: async (owner, path) => bytes.get(`${owner}/${path}`)
			},
			(chunk) => void writeSync(fd, chunk)
		);
	} finally {
		closeSync(fd);
	}
	renameSync(`${target}.tmp`, target);
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
	let args: Args;
	try {
		args = parseArgs(argv);
		if (args.inputs.length === 0) throw new UsageError('no inputs given');
	} catch (e) {
		err((e as Error).message ? `trackside: ${(e as Error).message}\n\n${USAGE}` : USAGE);
		return (e as Error).message ? 1 : 0;
	}
	const { command, inputs, flags } = args;
	const json = (v: unknown) => out(JSON.stringify(v, null, 2));
	try {
		if (command === 'import') {
			const db = flags.db as string | undefined;
			if (!db) throw new UsageError('import needs --db <store.sqlite>');
			const SQL = await sqlJsNode();
			const store = existsSync(db) ? Store.open(SQL, readFileSync(db)) : Store.open(SQL);
			const reports = await importAll(SQL, store, inputs);
			// Write beside, then rename: a crash never leaves a half-written store file.
			writeFileSync(`${db}.tmp`, store.export());
			renameSync(`${db}.tmp`, db);
			for (const r of reports) {
				const c = r.imported;
				err(`${r.source}: ${c.experiments} experiments, ${c.runs} runs, ${c.metricPoints} metric points, ${c.registeredModels} registered models, ${c.modelVersions} versions, ${c.artifacts} artifacts indexed; ${r.skipped.length} skipped`);
				for (const n of r.notes) err(`  note: ${n}`);
				for (const s of r.skipped) err(`  skipped ${s.path}: ${s.reason}`);
			}
			if (flags.json) json(reports);
			return 0;
		}
		if (command === 'pull') {
			const db = flags.db as string | undefined;
			if (!db) throw new UsageError('pull needs --db <store.sqlite>');
			const SQL = await sqlJsNode();
			const store = existsSync(db) ? Store.open(SQL, readFileSync(db)) : Store.open(SQL);
			const url = inputs[0];
			const client = new MlflowClient({ url, auth: flags.token ? { kind: 'token', token: flags.token as string } : { kind: 'none' }, origin: 'the trackside CLI' });
			const ids = flags['experiment-id'] ? String(flags['experiment-id']).split(',') : (await listExperiments(client)).map((e) => e.experiment_id);
			const report = await pullInto(SQL, store, client, url, { experimentIds: ids, registry: !flags['no-registry'], artifactBytes: Number(flags['artifacts-mb'] ?? 0) * 1e6 }, newPullState(), (p) =>
				err(`${p.phase}: ${p.done}/${p.total} (${p.requests} requests)`)
			);
			writeFileSync(`${db}.tmp`, store.export());
			renameSync(`${db}.tmp`, db);
			const c = report.imported;
			err(`${url}: ${c.experiments} experiments, ${c.runs} runs, ${c.metricPoints} metric points, ${c.registeredModels} registered models, ${c.modelVersions} versions`);
			if (flags.json) json(report);
			return 0;
		}
		if (command === 'publish') {
			const out = flags.out as string | undefined;
			if (!out) throw new UsageError('publish needs --out <site folder>');
			const files = publishSite(SITE);
			for (const [path, bytes] of files) {
				mkdirSync(dirname(join(out, path)), { recursive: true });
				writeFileSync(join(out, path), bytes);
			}
			writeFileSync(join(out, '_headers'), HEADERS_FILE);
			const target = join(out, SNAPSHOT_FILE);
			if (inputs.length === 1 && inputs[0].endsWith('.trackside')) copyFileSync(inputs[0], target);
			else await writeSnapshotFile(inputs, flags, target);
			err(`${out}: the app and ${SNAPSHOT_FILE} (${statSync(target).size} bytes); open ${join(out, 'index.html')} from any static host`);
			return 0;
		}
		if (command === 'snapshot') {
			if (!flags.o) throw new UsageError('snapshot needs -o <name.trackside>');
			await writeSnapshotFile(inputs, flags, flags.o as string);
			err(`${flags.o}: snapshot, ${statSync(flags.o as string).size} bytes`);
			return 0;
		}
		const store = await openStore(inputs);
		const q = store.queries;
		if (command === 'export') {
			const format = flags.format as ExportFormat | undefined;
			if (!format || !(format in EXPORT_FORMATS)) throw new UsageError(`--format must be one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
			if (!flags.o) throw new UsageError('export needs -o <file>');
			const bytes = exportFile(await sqlJsNode(), store, { experimentIds: q.experiments('all').map((e) => e.experiment_id) }, format);
			writeFileSync(`${flags.o}.tmp`, bytes);
			renameSync(`${flags.o}.tmp`, flags.o as string);
			err(`${flags.o}: ${EXPORT_FORMATS[format].label}, ${bytes.length} bytes`);
			return 0;
		}
		switch (command) {
			case 'experiments':
				json({ experiments: q.experiments(viewType(flags)).map(({ run_count: _, deleted_run_count: __, ...e }) => e) });
				return 0;
			case 'runs': {
				const experimentIds = flags['experiment-id'] ? [flags['experiment-id'] as string] : undefined;
				json({ runs: q.runs({ experimentIds, view: viewType(flags) }) });
				return 0;
			}
			case 'models':
				json({ registered_models: q.registeredModels() });
				return 0;
			case 'versions':
				json({ model_versions: q.modelVersions() });
				return 0;
			case 'history': {
				const runId = flags['run-id'] as string | undefined;
				const key = flags.metric as string | undefined;
				if (!runId || !key) throw new UsageError('history needs --run-id and --metric');
				const s = q.metricHistory(runId, key);
				if (!s) throw new Error(`run ${runId} has no metric "${key}"`);
				json({
					metrics: Array.from(s.values, (v, i) => ({ key, value: jsonDouble(v), timestamp: s.timestamps[i], step: s.steps[i] }))
				});
				return 0;
			}
		}
		return 1; // unreachable: parseArgs accepts known commands only
	} catch (e) {
		err(e instanceof UsageError ? `trackside: ${e.message}\n\n${USAGE}` : `trackside: ${(e as Error).message}`);
		return 1;
	}
}
