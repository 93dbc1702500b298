/**
 * The registry of every real fixture that has one is read completely: models, versions, stages,
 * aliases, tags and descriptions in the store equal what a separate reader finds in the sources
 * (mlflow.db tables through sql.js, FileStore `models/` folders through the yaml parser).
 * A fixture with several stores (two mlflow.db files, two mlruns folders) may hold one model
 * twice: each stored value must then be one of the sources' values.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { FIXTURES, importFixture, sqlJs } from '../testing/fixtures';

interface SourceVersion {
	stage: string;
	description: string | null;
	runId: string | null;
	tags: Record<string, string>;
}
interface SourceModel {
	description: string | null;
	tags: Record<string, string>;
	aliases: Record<string, string>;
	versions: Map<string, SourceVersion>;
}
/** name -> every source's copy of the model. */
type Registry = Map<string, SourceModel[]>;

const FIXTURES_WITH_REGISTRY = [
	'1412010__nda-mlops-zoomcamp-2024.zip',
	'A01092551__proyecto_mlops_equipo_56_fase_2.zip',
	'AbhaySingh71__Advance-MLflow.zip',
	'PatrickCmd__mlops-zoomcamp.zip',
	'gabrielneil__mlflow-project.zip',
	'nweiand__MLOps.zip',
	'silver6wings__MLFlowSample.zip',
	'vydang02__mlops_playground_vy.zip'
];

const DB = /\.(db|sqlite)$/;
const MODEL_FILE = /^(.*\/)?models\/([^/]+)\/(meta\.yaml|tags\/.+|aliases\/.+|version-\d+\/(meta\.yaml|tags\/.+))$/;

async function readRegistry(zip: string): Promise<Registry> {
	const files = unzipSync(readFileSync(FIXTURES + zip), { filter: (f) => DB.test(f.name) || MODEL_FILE.test(f.name) });
	const registry: Registry = new Map();
	const add = (name: string, m: SourceModel) => registry.set(name, [...(registry.get(name) ?? []), m]);
	const SQL = await sqlJs();
	for (const [path, bytes] of Object.entries(files)) {
		if (!DB.test(path)) continue;
		const db = new SQL.Database(bytes);
		const tables = new Set(db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.flat() as string[]);
		if (!tables.has('registered_models')) continue;
		const rows = (sql: string) => {
			const r = db.exec(sql)[0];
			return r ? r.values.map((v) => Object.fromEntries(r.columns.map((c, i) => [c, v[i]]))) : [];
		};
		const models = new Map<string, SourceModel>();
		for (const m of rows('SELECT * FROM registered_models')) {
			models.set(m.name as string, { description: (m.description as string) || null, tags: {}, aliases: {}, versions: new Map() });
		}
		for (const t of rows('SELECT * FROM registered_model_tags')) models.get(t.name as string)!.tags[t.key as string] = t.value as string;
		if (tables.has('registered_model_aliases')) {
			for (const a of rows('SELECT * FROM registered_model_aliases'))
				models.get(a.name as string)!.aliases[a.alias as string] = String(a.version);
		}
		for (const v of rows('SELECT * FROM model_versions')) {
			models.get(v.name as string)!.versions.set(String(v.version), {
				stage: (v.current_stage as string) ?? 'None',
				description: (v.description as string) || null,
				runId: (v.run_id as string) || null,
				tags: {}
			});
		}
		for (const t of rows('SELECT * FROM model_version_tags')) {
			models.get(t.name as string)!.versions.get(String(t.version))!.tags[t.key as string] = t.value as string;
		}
		db.close();
		for (const [name, m] of models) add(name, m);
	}
	// FileStore: <root>/models/<folder>/meta.yaml, tags/<key>, aliases/<alias>, version-<n>/...
	const byFolder = new Map<string, Record<string, Uint8Array>>();
	for (const [path, bytes] of Object.entries(files)) {
		const m = MODEL_FILE.exec(path);
		if (!m || m[2].startsWith('m-')) continue; // <experiment>/models/m-<id>: logged models
		const folder = path.slice(0, path.length - m[3].length);
		byFolder.set(folder, { ...byFolder.get(folder), [m[3]]: bytes });
	}
	for (const entries of byFolder.values()) {
		if (!entries['meta.yaml']) continue;
		const meta = parseYaml(strFromU8(entries['meta.yaml']));
		const model: SourceModel = { description: meta.description || null, tags: {}, aliases: {}, versions: new Map() };
		for (const [rel, bytes] of Object.entries(entries)) {
			const text = strFromU8(bytes);
			let m: RegExpExecArray | null;
			if ((m = /^tags\/(.+)$/.exec(rel))) model.tags[m[1]] = text;
			else if ((m = /^aliases\/(.+)$/.exec(rel))) model.aliases[m[1]] = text.trim();
			else if ((m = /^version-(\d+)\/meta\.yaml$/.exec(rel))) {
				const v = parseYaml(text);
				const tags: Record<string, string> = {};
				for (const [trel, tbytes] of Object.entries(entries)) {
					const t = new RegExp(`^version-${m[1]}/tags/(.+)$`).exec(trel);
					if (t) tags[t[1]] = strFromU8(tbytes);
				}
				model.versions.set(String(v.version ?? m[1]), {
					stage: v.current_stage ?? 'None',
					description: v.description || null,
					runId: v.run_id || null,
					tags
				});
			}
		}
		add(String(meta.name), model);
	}
	return registry;
}

describe.each(FIXTURES_WITH_REGISTRY)('registry of %s', async (zip) => {
	const source = await readRegistry(zip);
	const { store } = await importFixture(zip);
	const q = store.queries;
	const models = new Map(q.registeredModels().map((m) => [m.name, m]));
	const oneOf = <T>(copies: T[], get: (c: T) => unknown) => copies.map(get);

	it('has every model and version, and nothing else', () => {
		expect(source.size).toBeGreaterThan(0);
		expect([...models.keys()].sort()).toEqual([...source.keys()].sort());
		for (const [name, copies] of source) {
			const versions = new Set(copies.flatMap((c) => [...c.versions.keys()]));
			expect(new Set(q.modelVersions({ name }).map((v) => v.version)), name).toEqual(versions);
		}
	});

	it('has each model description, tag and alias, and each version stage, run, description and tag', () => {
		for (const [name, copies] of source) {
			const m = models.get(name)!;
			expect(
				oneOf(copies, (c) => c.description),
				name
			).toContain(m.description || null);
			const tags = Object.fromEntries((m.tags ?? []).map((t) => [t.key, t.value]));
			expect(Object.keys(tags).sort()).toEqual([...new Set(copies.flatMap((c) => Object.keys(c.tags)))].sort());
			for (const [k, v] of Object.entries(tags))
				expect(
					oneOf(copies, (c) => c.tags[k]),
					`${name} tag ${k}`
				).toContain(v);
			const aliases = Object.fromEntries((m.aliases ?? []).map((a) => [a.alias, a.version]));
			expect(Object.keys(aliases).sort()).toEqual([...new Set(copies.flatMap((c) => Object.keys(c.aliases)))].sort());
			for (const [a, v] of Object.entries(aliases))
				expect(
					oneOf(copies, (c) => c.aliases[a]),
					`${name} alias ${a}`
				).toContain(v);
			for (const v of q.modelVersions({ name })) {
				const vc = copies.map((c) => c.versions.get(v.version)).filter((x) => x !== undefined);
				expect(
					oneOf(vc, (c) => c.stage),
					`${name} v${v.version}`
				).toContain(v.current_stage);
				expect(oneOf(vc, (c) => c.runId)).toContain(v.run_id || null);
				expect(oneOf(vc, (c) => c.description)).toContain(v.description || null);
				const vtags = Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value]));
				expect(Object.keys(vtags).sort()).toEqual([...new Set(vc.flatMap((c) => Object.keys(c.tags)))].sort());
				for (const [k, val] of Object.entries(vtags)) expect(oneOf(vc, (c) => c.tags[k])).toContain(val);
			}
		}
	});
});
