/**
 * The `trackside` CLI: a table of commands over the same Workspace the browser worker drives. Only
 * the sources (files on disk), where the store is kept (a file, or memory) and the output (a file,
 * JSON on stdout) differ.
 */
import { existsSync, mkdirSync, copyFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlJsNode } from './sqljs-node';
import { openPath, isTracksideStore } from './node-sources';
import { FilePersistence, writeFileAtomic } from './file-persistence';
import { HEADERS_FILE, publishSite, SNAPSHOT_FILE } from './publish';
import { FolderWatcher } from './watch';
import { Workspace } from '../lib/workspace/workspace';
import { MemoryPersistence, type Persistence } from '../lib/workspace/persistence';
import { UserError } from '../lib/errors';
import type { ViewType } from '../lib/db/queries';
import { jsonDouble } from '../lib/db/rest-types';
import type { ImportReport } from '../lib/importers/context';
import type { SourceTree } from '../lib/sources/tree';
import { MlflowClient } from '../lib/remote/client';
import { listExperiments } from '../lib/remote/pull';
import { EXPORT_FORMATS, type ExportFormat } from '../lib/export';
import { spanFileJson } from '../lib/db/trace-writer';
import { TRACKSIDE_VERSION } from '../lib/version';
import { nearest } from '../lib/search/hints';
import type { Run } from '../lib/db/rest-types';
import { flatRows, runsTableCsv, toCsv, toTable } from './listing';

const USAGE = `Usage:
  trackside --version
  trackside <command> --help
  trackside import <inputs...> --db <store.sqlite>
  trackside import <folder-or-mlflow.db> --db <store.sqlite> --watch [--interval SECONDS] [--syncs N]
  trackside experiments <store-or-inputs...> [--view-type active|deleted|all] [SEARCH] [--format json|csv|table]
  trackside runs <store-or-inputs...> [--experiment-id ID[,ID...]] [--view-type active|deleted|all] [SEARCH] [--format json|csv|table]
  trackside models <store-or-inputs...> [SEARCH] [--format json|csv|table]
  trackside versions <store-or-inputs...> [SEARCH] [--format json|csv|table]
  trackside history <store-or-inputs...> --run-id RUN --metric KEY [--max-results N] [--format json|csv|table]
  trackside traces <store-or-inputs...> [--experiment-id ID[,ID...]] [SEARCH] [--format json|csv|table]
  trackside trace <store-or-inputs...> --trace-id ID --json
  trackside pull <tracking-server-url> --db <store.sqlite> [--experiment-id ID[,ID...]] [--token T] [--no-registry] [--artifacts-mb N]
  trackside export <store-or-inputs...> --format mlruns|mlflow-db|rest-json -o <file>
  trackside snapshot <inputs...> -o <name.trackside> [--experiment-id ID[,ID...]] [--artifacts none|all|<MB each>]
  trackside publish <inputs-or-snapshot...> --out <site/> [--experiment-id ...] [--artifacts ...]

SEARCH is MLflow's: --filter "<filter string>" --order-by "<clause>" (repeatable) --max-results N,
with the grammar of search_runs, search_experiments, search_registered_models or
search_model_versions. --format json (the default, MLflow's REST shape; --json says the same),
csv (for runs: the runs table's CSV) or table (aligned columns that fit the terminal).

Inputs are mlruns folders, zips of them, mlflow.db files, mlflow-export-import output (a folder
or zip) and MLflow REST API JSON files. A Trackside store file (written by
'trackside import') is read as it is; any other input is imported in memory first.`;

/** A command line that does not say what to do: the message, then the usage (of `command`, if named). */
class UsageError extends Error {
	constructor(
		message: string,
		readonly command?: string
	) {
		super(message);
	}
}
class VersionRequest extends Error {}

/** The usage of one command: its lines, then the notes every command shares. */
function usageOf(command: string | undefined): string {
	if (!command) return USAGE;
	const [lines, ...notes] = USAGE.split('\n\n');
	return [['Usage:', ...lines.split('\n').filter((l) => l.startsWith(`  trackside ${command} `))].join('\n'), ...notes].join('\n\n');
}

interface Args {
	command: string;
	inputs: string[];
	flags: Record<string, string | true>;
	/** --order-by, in the order given (MLflow takes several). */
	orderBy: string[];
}

interface Io {
	/** Prints JSON on stdout. */
	json(value: unknown): void;
	/** Prints JSON already written as text on stdout. */
	jsonText(text: string): void;
	/** Text on stdout as it is (CSV, tables). */
	text(text: string): void;
	/** A line on stderr (progress, summaries). */
	say(line: string): void;
	/** Columns of the terminal, for tables. */
	width: number;
}

/** The built app (`npm run build`), which `publish` copies. */
/** `npm test` builds its own copy (build-test/, see svelte.config.js) and publishes that. */
const BUILT = process.env.TRACKSIDE_TEST === '1' ? 'build-test' : 'build';
const SITE = fileURLToPath(
	// From src/cli/ in a checkout, from dist/ in the installed package.
	existsSync(new URL(`../../${BUILT}/index.html`, import.meta.url))
		? new URL(`../../${BUILT}/`, import.meta.url)
		: new URL(`../${BUILT}/`, import.meta.url)
);

const VALUE_FLAGS = new Set([
	'db',
	'view-type',
	'experiment-id',
	'run-id',
	'metric',
	'token',
	'format',
	'o',
	'artifacts-mb',
	'artifacts',
	'out',
	'trace-id',
	'filter',
	'order-by',
	'max-results',
	'interval',
	'syncs'
]);

const COMMANDS: Record<string, (args: Args, io: Io) => Promise<void>> = {
	async import({ inputs, flags }, io) {
		if (flags.watch) return watch(inputs, flags, io);
		const reports = await (
			await workspace(new FilePersistence(need(flags, 'db', 'import needs --db <store.sqlite>')))
		).importTrees(await trees(inputs));
		for (const r of reports) {
			io.say(`${r.source}: ${counts(r)}, ${r.imported.artifacts} artifacts indexed; ${r.skipped.length} skipped`);
			for (const n of r.notes) io.say(`  note: ${n}`);
			for (const s of r.skipped) io.say(`  skipped ${s.path}: ${s.reason}`);
		}
		if (flags.json) io.json(reports);
	},
	async pull({ inputs: [url], flags }, io) {
		const ws = await workspace(new FilePersistence(need(flags, 'db', 'pull needs --db <store.sqlite>')));
		const client = new MlflowClient({
			url,
			auth: flags.token ? { kind: 'token', token: flags.token as string } : { kind: 'none' },
			origin: 'the trackside CLI'
		});
		const experimentIds = list(flags['experiment-id']) ?? (await listExperiments(client)).map((e) => e.experiment_id);
		const plan = { experimentIds, registry: !flags['no-registry'], artifactBytes: Number(flags['artifacts-mb'] ?? 0) * 1e6 };
		const report = await ws.pull(client, url, plan, (p) => io.say(`${p.phase}: ${p.done}/${p.total} (${p.requests} requests)`));
		io.say(`${url}: ${counts(report)}`);
		if (flags.json) io.json(report);
	},
	async publish({ inputs, flags }, io) {
		const out = need(flags, 'out', 'publish needs --out <site folder>');
		for (const [path, bytes] of publishSite(SITE)) {
			mkdirSync(dirname(join(out, path)), { recursive: true });
			writeFileSync(join(out, path), bytes);
		}
		writeFileSync(join(out, '_headers'), HEADERS_FILE);
		const target = join(out, SNAPSHOT_FILE);
		if (inputs.length === 1 && inputs[0].endsWith('.trackside')) copyFileSync(inputs[0], target);
		else await writeSnapshotFile(inputs, flags, target);
		io.say(`${out}: the app and ${SNAPSHOT_FILE} (${statSync(target).size} bytes); open ${join(out, 'index.html')} from any static host`);
	},
	async snapshot({ inputs, flags }, io) {
		const target = need(flags, 'o', 'snapshot needs -o <name.trackside>');
		await writeSnapshotFile(inputs, flags, target);
		io.say(`${target}: snapshot, ${statSync(target).size} bytes`);
	},
	async export({ inputs, flags }, io) {
		const format = flags.format as ExportFormat | undefined;
		if (!format || !(format in EXPORT_FORMATS)) throw new UsageError(`--format must be one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
		const target = need(flags, 'o', 'export needs -o <file>');
		const ws = await readInputs(inputs);
		const bytes = await ws.exportFile({ experimentIds: ws.queries.experiments('all').map((e) => e.experiment_id) }, format);
		await writeFileAtomic(target, bytes);
		io.say(`${target}: ${EXPORT_FORMATS[format].label}, ${bytes.length} bytes`);
	},
	async experiments(args, io) {
		const q = (await readInputs(args.inputs)).queries;
		const experiments = q.experiments(viewType(args.flags), search(args)).map(({ run_count: _, deleted_run_count: __, ...e }) => e);
		listing(args, io, 'experiments', limited(args, experiments));
	},
	async runs(args, io) {
		const q = (await readInputs(args.inputs)).queries;
		const runs = q.runs({
			experimentIds: list(args.flags['experiment-id']),
			view: viewType(args.flags),
			...search(args),
			limit: maxResults(args)
		});
		listing(args, io, 'runs', runs);
	},
	async models(args, io) {
		listing(args, io, 'registered_models', limited(args, (await readInputs(args.inputs)).queries.registeredModels(search(args))));
	},
	async versions(args, io) {
		listing(args, io, 'model_versions', limited(args, (await readInputs(args.inputs)).queries.modelVersions(search(args))));
	},
	/** search_traces: MLflow's `{"traces": [TraceInfo, ...]}`, newest first, with its filter grammar. */
	async traces(args, io) {
		const { inputs, flags } = args;
		const q = (await readInputs(inputs)).queries;
		const experimentIds = list(flags['experiment-id']) ?? q.experiments('all').map((e) => e.experiment_id);
		const ids = q.searchTraceIds({
			experimentIds,
			filter: flags.filter as string | undefined,
			orderBy: args.orderBy
		});
		listing(
			args,
			io,
			'traces',
			limited(args, ids).map((id) => q.traceInfo(id)!)
		);
	},
	/**
	 * One trace as MLflow's `Trace.to_dict()`: `{"info": ..., "data": {"spans": [...]}}`. The spans
	 * are written as stored, so their nanosecond times keep every digit (JSON.parse would round them).
	 */
	async trace({ inputs, flags }, io) {
		const traceId = need(flags, 'trace-id', 'trace needs --trace-id ID');
		const ws = await readInputs(inputs);
		const info = ws.queries.traceInfo(traceId);
		if (!info) throw new UserError(`no trace ${traceId} in ${inputs.join(', ')}`, 'input');
		const chunks: string[] = [];
		for (const c of ws.queries.spanChunkNumbers(traceId)) chunks.push((await ws.source.spanChunk(traceId, c)) ?? '[]');
		io.jsonText(`{"info": ${JSON.stringify(info, null, 2)}, "data": ${spanFileJson(chunks)}}`);
	},
	async history(args, io) {
		const { inputs, flags } = args;
		const runId = flags['run-id'] as string | undefined;
		const key = flags.metric as string | undefined;
		if (!runId || !key) throw new UsageError('history needs --run-id and --metric');
		const s = (await readInputs(inputs)).queries.metricHistory(runId, key);
		if (!s) throw new UserError(`run ${runId} has no metric "${key}"`, 'input');
		const points = Array.from(s.values, (v, i) => ({ key, value: jsonDouble(v), timestamp: s.timestamps[i], step: s.steps[i] }));
		listing(args, io, 'metrics', limited(args, points));
	}
};

export function parseArgs(argv: string[]): Args {
	const [command, ...rest] = argv;
	if (!command || command === '--help' || command === '-h') throw new UsageError('');
	if (command === '--version' || command === '-V') throw new VersionRequest();
	if (!Object.hasOwn(COMMANDS, command)) {
		const near = nearest(command, Object.keys(COMMANDS));
		throw new UsageError(`unknown command ${command}${near ? `; did you mean ${near}?` : ''}`);
	}
	const inputs: string[] = [];
	const flags: Record<string, string | true> = {};
	const orderBy: string[] = [];
	for (let i = 0; i < rest.length; i++) {
		const a = rest[i];
		if (a.startsWith('--') || a === '-o') {
			const [name, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2);
			if (VALUE_FLAGS.has(name)) {
				const v = inline ?? rest[++i];
				if (v === undefined) throw new UsageError(`--${name} needs a value`);
				flags[name] = v;
				if (name === 'order-by') orderBy.push(v);
			} else if (name === 'json' || name === 'no-registry' || name === 'watch') flags[name] = true;
			else if (name === 'help') throw new UsageError('', command);
			else {
				const near = nearest(name, [...VALUE_FLAGS, 'json', 'no-registry', 'watch', 'help']);
				throw new UsageError(`unknown option --${name}${near ? `; did you mean --${near}?` : ''}`);
			}
		} else inputs.push(a);
	}
	if (inputs.length === 0) throw new UsageError('no inputs given');
	return { command, inputs, flags, orderBy };
}

/**
 * Imports a folder or an mlflow.db, then again every --interval seconds (default 10) only what
 * changed, until stopped (Ctrl-C) or after --syncs syncs; each sync says what it brought.
 */
async function watch(inputs: string[], flags: Args['flags'], io: Io): Promise<void> {
	if (inputs.length !== 1) throw new UsageError('import --watch takes one folder or mlflow.db');
	const seconds = Number(flags.interval ?? 10);
	if (!(seconds > 0)) throw new UsageError(`--interval must be a number of seconds (got ${flags.interval})`);
	const syncs = flags.syncs === undefined ? Infinity : Number(flags.syncs);
	if (!(syncs >= 1)) throw new UsageError(`--syncs must be at least 1 (got ${flags.syncs})`);
	if (!existsSync(inputs[0])) throw new UserError(`${inputs[0]}: no such file or folder`, 'input');
	const watcher = new FolderWatcher(inputs[0], await workspace(new FilePersistence(need(flags, 'db', 'import needs --db <store.sqlite>'))));
	for (let n = 1; ; n++) {
		const result = await watcher.sync();
		const at = new Date().toISOString().slice(11, 19);
		io.say(result ? `synced ${at}: ${result.changed} changed file(s); ${counts(result.report)}` : `synced ${at}: nothing changed`);
		if (n >= syncs) return;
		await new Promise((r) => setTimeout(r, seconds * 1000));
	}
}

/** MLflow's search arguments of a listing command. */
function search({ flags, orderBy }: Args): { filter?: string; orderBy: string[] } {
	return { filter: typeof flags.filter === 'string' ? flags.filter : undefined, orderBy };
}

/** --max-results: a positive whole number (MLflow's max_results), or none. */
function maxResults({ flags }: Args): number | undefined {
	if (flags['max-results'] === undefined) return undefined;
	const n = Number(flags['max-results']);
	if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-results must be a positive whole number (got ${flags['max-results']})`);
	return n;
}

const limited = <T>(args: Args, rows: T[]): T[] => {
	const n = maxResults(args);
	return n === undefined ? rows : rows.slice(0, n);
};

/** A listing in the chosen format: MLflow's REST JSON (`{key: rows}`), CSV or an aligned table. */
function listing(args: Args, io: Io, key: string, rows: object[]): void {
	const format = args.flags.json ? 'json' : ((args.flags.format as string | undefined) ?? 'json');
	if (format === 'json') return io.json({ [key]: rows });
	if (format !== 'csv' && format !== 'table') throw new UsageError(`--format must be json, csv or table (got ${format})`);
	const out =
		key === 'runs' && format === 'csv'
			? runsTableCsv(rows as Run[])
			: format === 'csv'
				? toCsv(flatRows(key, rows))
				: toTable(flatRows(key, rows), io.width);
	io.text(out.replace(/\n$/, ''));
}

function need(flags: Args['flags'], name: string, message: string): string {
	if (typeof flags[name] !== 'string') throw new UsageError(message);
	return flags[name];
}

const list = (flag: string | true | undefined) => (typeof flag === 'string' ? flag.split(',') : undefined);

const counts = ({ imported: c }: ImportReport) =>
	`${c.experiments} experiments, ${c.runs} runs, ${c.metricPoints} metric points, ${c.registeredModels} registered models, ${c.modelVersions} versions` +
	(c.traces ? `, ${c.traces} traces, ${c.spans ?? 0} spans, ${c.assessments ?? 0} assessments` : '');

async function workspace(persistence: Persistence): Promise<Workspace> {
	return Workspace.open(await sqlJsNode(), persistence);
}

/** The inputs, opened; none is left open if one cannot be. */
async function trees(inputs: string[]): Promise<SourceTree[]> {
	const opened: SourceTree[] = [];
	try {
		for (const input of inputs) {
			if (!existsSync(input)) throw new UserError(`${input}: no such file or folder`, 'input');
			opened.push(await openPath(input));
		}
		return opened;
	} catch (e) {
		for (const tree of opened) await tree.close?.();
		throw e;
	}
}

/** A Trackside store file as it is; any other inputs imported into a workspace in memory. */
async function readInputs(inputs: string[]): Promise<Workspace> {
	if (inputs.length === 1 && isTracksideStore(inputs[0])) return workspace(new FilePersistence(inputs[0]));
	const ws = await workspace(new MemoryPersistence());
	await ws.importTrees(await trees(inputs));
	return ws;
}

function viewType(flags: Args['flags']): ViewType {
	const v = (flags['view-type'] as string | undefined)?.toLowerCase() ?? 'active';
	const map: Record<string, ViewType> = {
		active: 'active',
		active_only: 'active',
		deleted: 'deleted',
		deleted_only: 'deleted',
		all: 'all'
	};
	if (!map[v]) throw new UsageError(`--view-type must be active, deleted or all (got ${v})`);
	return map[v];
}

/** A snapshot of the inputs, with their artifacts' bytes (kept in memory while importing), streamed to the file. */
async function writeSnapshotFile(inputs: string[], flags: Args['flags'], target: string): Promise<void> {
	const a = String(flags.artifacts ?? 'all');
	const artifacts = a === 'none' || a === 'all' ? a : Number(a) * 1e6;
	if (typeof artifacts === 'number' && !(artifacts >= 0)) throw new UsageError('--artifacts must be none, all or a size in MB');
	const ws = await workspace(new MemoryPersistence());
	await ws.importTrees(await trees(inputs));
	await writeFileAtomic(target, (write) => ws.writeSnapshot({ experimentIds: list(flags['experiment-id']) }, artifacts, write));
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
	try {
		const args = parseArgs(argv);
		await COMMANDS[args.command](args, {
			json: (v) => out(JSON.stringify(v, null, 2)),
			jsonText: out,
			text: out,
			say: err,
			width: Number(process.env.COLUMNS) || process.stdout.columns || 120
		});
		return 0;
	} catch (e) {
		if (e instanceof VersionRequest) {
			out(`trackside ${TRACKSIDE_VERSION}`);
			return 0;
		}
		const message = (e as Error).message;
		if (!(e instanceof UsageError)) err(`trackside: ${message}`);
		else if (!message) out(usageOf(e.command));
		else err(`trackside: ${message}\n\n${USAGE}`);
		return e instanceof UsageError && !message ? 0 : 1;
	}
}
