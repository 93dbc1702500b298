/**
 * Inputs past what a tab can hold are refused or skipped with the reason, before any byte of
 * them is read; big metric files are parsed in pieces, the same as whole.
 */
import { describe, expect, it } from 'vitest';
import { Store } from '../db/store';
import { importTree } from '.';
import { treeFromMap, type SourceFile } from '../sources/tree';
import { sqlJs } from '../testing/fixtures';
import { fileStore } from '../testing/mlflow-stores';
import { METRIC_CHUNK, parseMetricLines } from './parse';

const untouchable = (path: string, size: number): SourceFile => ({
	path,
	size,
	order: 0,
	bytes: async () => {
		throw new Error(`${path} was read`);
	}
});

describe('limits', () => {
	it('refuses a 2.5 GB mlflow.db with the reason and what to do, without reading it', async () => {
		const SQL = await sqlJs();
		const tree = { name: 'mlflow.db', files: [untouchable('mlflow.db', 2.5 * 2 ** 30)] };
		await expect(importTree(SQL, Store.open(SQL), tree)).rejects.toThrow(
			/mlflow\.db is 2\.5 GB: an mlflow\.db is read whole into memory \(sql\.js\), up to 1 GB/
		);
	});

	it('skips a metric file over 1 GB with a report line, and imports the rest', async () => {
		const SQL = await sqlJs();
		const run = 'abcdef0123456789abcdef0123456789';
		const base = treeFromMap('big.zip', fileStore([{ id: '1', name: 'e', runs: [{ id: run, metrics: { acc: ['1 0.5 0'] } }] }]));
		const tree = { ...base, files: [...base.files, untouchable(`mlruns/1/${run}/metrics/loss`, 1100 * 2 ** 20)] };
		const report = await importTree(SQL, Store.open(SQL), tree);
		expect(report.imported).toMatchObject({ runs: 1, metricPoints: 1 });
		expect(report.skipped.map((s) => s.reason)).toContain(
			`metric "loss" of run ${run} is 1100 MB, more than the 1024 MB (about 30 million points) one history may hold in a tab: skipped`
		);
	});

	it('parses a metric file larger than one piece exactly as in one piece', () => {
		const lines: string[] = [];
		let bytes = 0;
		for (let i = 0; bytes <= METRIC_CHUNK + 1000; i++) {
			const line = `${1_700_000_000_000 + i} ${(i % 977) / 7} ${i}\n`;
			lines.push(line);
			bytes += line.length;
		}
		lines.push('not a line\n');
		const text = new TextEncoder().encode(lines.join(''));
		expect(text.length).toBeGreaterThan(METRIC_CHUNK);
		const parsed = parseMetricLines(text);
		expect(parsed.badLines).toBe(1);
		expect(parsed.series.values.length).toBe(lines.length - 1);
		const last = lines.length - 2;
		expect([parsed.series.timestamps[last], parsed.series.steps[last]]).toEqual([1_700_000_000_000 + last, last]);
		expect(parsed.series.values[123_456]).toBe((123_456 % 977) / 7);
	});
});
