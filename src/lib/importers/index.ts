/**
 * One entry point for every input: sniff what the user gave, find every MLflow store inside it,
 * and import them all in one store transaction, so that on any failure nothing changes.
 *
 * Each format is an Importer: `find` locates its stores in a tree, `run` writes one of them.
 */
import type { SqlJsStatic } from 'sql.js';
import type { Store } from '../db/store';
import { openZip, looksLikeZip } from '../sources/zip';
import type { InflateChannel } from '../sources/zip-prefetch';
import { ImportInputError, type ByteReader, type SourceFile, type SourceTree } from '../sources/tree';
import { ImportContext, type ImportOptions, type ImportReport } from './context';
import { findFileStores, importFileStore } from './mlruns';
import { importMlflowSqlite, looksLikeSqlite } from './mlflow-sqlite';
import { importArtifacts } from './artifacts';
import { importTraceArtifacts } from './trace-artifacts';
import { findExportImport, importExportImport } from './export-import';
import { findRestJson, importRestJson } from './rest-json';

export interface Importer<Found> {
	format: string;
	find(tree: SourceTree): Promise<Found[]>;
	run(found: Found, ctx: ImportContext): Promise<void>;
}

const SQLITE_NAME = /\.(db|sqlite|sqlite3)$/i;
/** The largest SQLite file imported: read whole into wasm memory, beside the store it fills. */
export const MAX_SQLITE_BYTES = 1 * 2 ** 30;

export function importers(SQL: SqlJsStatic): Importer<unknown>[] {
	const sqlite: Importer<{ file: SourceFile; bytes: Uint8Array }> = {
		format: 'mlflow.db',
		async find(tree) {
			// A lone file is sniffed whatever its name; inside folders only database-like names are.
			// The bytes read to sniff are kept for the import, so a zipped database is inflated once.
			const candidates = tree.files.length === 1 ? tree.files : tree.files.filter((f) => SQLITE_NAME.test(f.path));
			const found: { file: SourceFile; bytes: Uint8Array }[] = [];
			for (const file of candidates) {
				if (file.size < 100) continue;
				if (file.size > MAX_SQLITE_BYTES) {
					throw new ImportInputError(
						`${file.path} is ${(file.size / 2 ** 30).toFixed(1)} GB: an mlflow.db is read whole into memory (sql.js), up to ${MAX_SQLITE_BYTES / 2 ** 30} GB. Pull the experiments you need from a server started on it (Pull from a tracking server, or trackside pull), or export them with mlflow-export-import.`
					);
				}
				const bytes = await file.bytes();
				if (looksLikeSqlite(bytes)) found.push({ file, bytes });
			}
			return found;
		},
		run: ({ file, bytes }, ctx) => importMlflowSqlite(SQL, file, bytes, ctx)
	};
	const fileStore: Importer<ReturnType<typeof findFileStores>[number]> = {
		format: 'mlruns',
		find: async (tree) => findFileStores(tree),
		run: importFileStore
	};
	const exportImport: Importer<Awaited<ReturnType<typeof findExportImport>>[number]> = {
		format: 'mlflow-export-import',
		find: findExportImport,
		run: importExportImport
	};
	const restJson: Importer<Awaited<ReturnType<typeof findRestJson>>[number]> = {
		format: 'MLflow REST JSON',
		find: findRestJson,
		run: importRestJson
	};
	// Order matters: file stores and databases first, so JSON runs find their experiments in the store.
	return [sqlite, fileStore, exportImport, restJson] as Importer<unknown>[];
}

/**
 * Turns one file the user gave into a tree: a zip archive, or a single SQLite file. `inflater`
 * (a helper thread) is used for a zip's entries when given.
 */
export async function openFile(
	name: string,
	bytes: ByteReader & { close?(): Promise<void> },
	inflater?: () => InflateChannel
): Promise<SourceTree> {
	if (bytes.size === 0) throw new ImportInputError(`${name} is empty`);
	const first = await bytes.read(0, Math.min(16, bytes.size));
	const close = bytes.close?.bind(bytes);
	// A .zip may start with other data (a self-extracting stub): its end record still says zip.
	if (looksLikeZip(first) || (/\.zip$/i.test(name) && (await hasZipEnd(bytes)))) {
		const tree = await openZip(name, bytes, inflater?.());
		return { ...tree, close: async () => (await tree.close?.(), await close?.()) };
	}
	if (looksLikeSqlite(first) || looksLikeDocument(name, first)) {
		return { name, files: [{ path: name, size: bytes.size, order: 0, bytes: () => bytes.read(0, bytes.size) }], close };
	}
	await close?.();
	throw new ImportInputError(
		`${name} is not a zip archive, an SQLite database or a JSON file. Trackside imports an mlruns folder or a zip of one, MLflow's mlflow.db, mlflow-export-import output and MLflow REST API JSON.`
	);
}

/** Whether the end of central directory record is in the last 64 KB (where a zip comment ends it). */
async function hasZipEnd(bytes: ByteReader): Promise<boolean> {
	const length = Math.min(bytes.size, 22 + 0xffff);
	const tail = await bytes.read(bytes.size - length, length);
	for (let i = tail.length - 22; i >= 0; i--)
		if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 5 && tail[i + 3] === 6) return true;
	return false;
}

/** A lone JSON (REST response, export file) or YAML dump, by name and first character. */
function looksLikeDocument(name: string, head: Uint8Array): boolean {
	const text = new TextDecoder()
		.decode(head)
		.replace(/^\uFEFF/, '')
		.trimStart();
	return /\.json$/i.test(name) ? text.startsWith('{') : /\.ya?ml$/i.test(name) && text.length > 0;
}

/** Imports everything MLflow in `tree`; returns the report, or throws with nothing changed. */
export async function importTree(SQL: SqlJsStatic, store: Store, tree: SourceTree, options: ImportOptions = {}): Promise<ImportReport> {
	const plan: { importer: Importer<unknown>; found: unknown }[] = [];
	for (const importer of importers(SQL)) {
		for (const found of await importer.find(tree)) plan.push({ importer, found });
	}
	if (plan.length === 0) {
		throw new ImportInputError(
			`No MLflow data found in ${tree.name}: expected an mlruns folder (experiment folders with meta.yaml and run folders), an mlflow.db, mlflow-export-import output (run.json, experiment.json, model.json) or MLflow REST API JSON (runs/search, experiments/search...).`
		);
	}
	return store.write(async (writer) => {
		const ctx = new ImportContext(writer, tree.name, options);
		for (const { importer, found } of plan) await importer.run(found, ctx);
		await importArtifacts(tree, ctx);
		await importTraceArtifacts(tree, ctx);
		const c = ctx.counts;
		// A history file adds only points to runs already in the store.
		if (
			c.experiments +
				c.runs +
				c.registeredModels +
				c.modelVersions +
				c.loggedModels +
				c.metricPoints +
				(c.traces ?? 0) +
				(c.evaluationDatasets ?? 0) ===
			0
		) {
			const why = ctx.report.skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`);
			throw new ImportInputError(`Nothing could be imported from ${tree.name}${why.length ? `:\n${why.join('\n')}` : ''}`);
		}
		// Counted once each: the same experiment or run in two stores of one input is one entity.
		c.experiments = writer.distinct('experiment');
		c.runs = writer.distinct('run');
		const deleted = writer.deletedCounts();
		if (deleted.experiments) c.deletedExperiments = deleted.experiments;
		if (deleted.runs) c.deletedRuns = deleted.runs;
		for (const n of writer.notes) ctx.note(n);
		const fmt = (n: number) => n.toLocaleString('en-US');
		if (writer.duplicatePoints) {
			ctx.note(
				`${fmt(writer.duplicatePoints)} metric point(s) repeated an identical point (same step, time and value) of the same history and were kept once, as MLflow's SQL store keeps them.`
			);
		}
		if (writer.knownPoints)
			ctx.note(
				`${fmt(writer.knownPoints)} metric point(s) were already in the store (the same runs imported before) and were not added again.`
			);
		ctx.checkSize();
		ctx.phase('saving');
		writer.source(tree.name, plan.map((p) => p.importer.format).join(' + '), options.now ?? Date.now(), ctx.report);
		return ctx.report;
	});
}
