/**
 * An experiment's MLflow 3 logged models as its Models tab lists them, checked against the real
 * FileStore that has them (its models/m-… folders read here with the yaml parser).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { FIXTURES, importFixture } from '../testing/fixtures';

const ZIP = 'vydang02__mlops_playground_vy.zip';

describe('logged models of an experiment', () => {
	it('lists every logged model with its source run, latest metrics, params and the versions registered from it', async () => {
		const files = unzipSync(readFileSync(FIXTURES + ZIP));
		const metas = Object.entries(files).filter(([p]) => /\/models\/m-[0-9a-f]{32}\/meta\.yaml$/.test(p));
		expect(metas.length).toBeGreaterThan(0);
		const { store } = await importFixture(ZIP);
		const q = store.queries;
		for (const [path, bytes] of metas) {
			const meta = parseYaml(strFromU8(bytes), { intAsBigInt: true });
			const experimentId = String(meta.experiment_id);
			const rows = q.loggedModelsOf(experimentId);
			expect(q.loggedModelCount(experimentId)).toBe(rows.length);
			const row = rows.find((m) => m.model_id === meta.model_id)!;
			expect(row, path).toBeDefined();
			expect(row).toMatchObject({ name: meta.name, source_run_id: meta.source_run_id });
			expect(row.run_name).toBe(q.run(meta.source_run_id)!.info.run_name);
			const dir = path.slice(0, -'meta.yaml'.length);
			const params = Object.entries(files).filter(([p]) => p.startsWith(dir + 'params/') && !p.endsWith('/'));
			expect(Object.keys(row.params).sort()).toEqual(params.map(([p]) => p.slice((dir + 'params/').length)).sort());
			const versions = q.modelVersions({}, 'all').filter((v) => v.model_id === meta.model_id || v.source === `models:/${meta.model_id}`);
			expect(row.versions.map((v) => `${v.name} v${v.version}`).sort()).toEqual(versions.map((v) => `${v.name} v${v.version}`).sort());
			expect(row.versions.length).toBeGreaterThan(0);
		}
	});
});
