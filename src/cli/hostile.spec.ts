/**
 * The hostile corpus (testing/hostile.ts) through the CLI: each input imported exactly as stated,
 * or refused with its reason, and a store file imported before it left byte for byte as it was.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../lib/testing/cli';
import { FIXTURES, sqlJs } from '../lib/testing/fixtures';
import { hostileSqlite, hostileZips, type HostileInput } from '../lib/testing/hostile';

const corpus: HostileInput[] = [...hostileZips(), ...hostileSqlite(await sqlJs())];

describe('hostile inputs through the CLI', () => {
	it.each(corpus.map((c) => [c.what, c] as const))('%s', async (_what, input) => {
		const dir = mkdtempSync(join(tmpdir(), 'trackside-hostile-'));
		const db = join(dir, 'store.sqlite');
		expect((await cli('import', FIXTURES + 'gabrielneil__mlflow-project.zip', '--db', db)).code).toBe(0);
		const before = readFileSync(db);
		const path = join(dir, input.name);
		writeFileSync(path, input.bytes);
		const r = await cli('import', path, '--db', db, '--json');
		if (input.refused) {
			expect(r.code, r.stdout).toBe(1);
			expect(r.stderr).toMatch(input.refused);
			expect(readFileSync(db).equals(before)).toBe(true);
			return;
		}
		expect(r.code, r.stderr).toBe(0);
		const report = JSON.parse(r.stdout)[0];
		const want = input.imported!;
		if (want.runs !== undefined) expect(report.imported.runs).toBe(want.runs);
		if (want.metricPoints !== undefined) expect(report.imported.metricPoints).toBe(want.metricPoints);
		if (want.note) expect(report.notes.join('\n')).toMatch(want.note);
		if (want.skipped) expect(report.skipped.map((s: { reason: string }) => s.reason).join('\n')).toMatch(want.skipped);
		// The earlier data is all still there.
		const runs = await cli('runs', db, '--view-type', 'all', '--json');
		expect(JSON.parse(runs.stdout).runs.length).toBeGreaterThanOrEqual(2);
	});
});
