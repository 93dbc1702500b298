/**
 * A watched folder (Open folder and keep watching): a run added and lines appended to a metric
 * between two syncs show up; a sync with nothing changed says so. The folder is an origin-private
 * one (navigator.storage.getDirectory()): an automated browser cannot answer the folder picker,
 * and the handle then takes the same path as a picked one.
 */
import { test, expect, type Page } from '@playwright/test';
import { fileStore } from '../../src/lib/testing/mlflow-stores';

const hex = (n: number) => n.toString(16).padStart(32, '0');
const decoder = new TextDecoder();

/** Writes files (paths under mlruns/) into the origin-private folder `mlruns`. */
async function writeFolder(page: Page, files: [string, string][]) {
	await page.evaluate(async (files) => {
		const root = await navigator.storage.getDirectory();
		for (const [path, text] of files) {
			const parts = path.split('/');
			let dir = root;
			for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
			const file = await dir.getFileHandle(parts.at(-1)!, { create: true });
			const w = await file.createWritable();
			await w.write(text);
			await w.close();
		}
	}, files);
}

const store = (runs: number[], lossLines: string[]) =>
	[...fileStore([{ id: '1', name: 'live', runs: runs.map((n) => ({ id: hex(n), name: `run-${n}`, metrics: { loss: lossLines } })) }])].map(
		([path, bytes]) => [path, decoder.decode(bytes)] as [string, string]
	);

test('a watched folder: a new run and appended points between two syncs show up', async ({ page }) => {
	await page.goto('./');
	await expect(page.getByTestId('watch-folder')).toBeVisible();
	await writeFolder(page, store([1], ['1000 1.0 0', '2000 0.9 1']));
	await page.evaluate(async () => {
		const w = window as unknown as { __tracksideWatchHandle(h: FileSystemDirectoryHandle): Promise<void> };
		await w.__tracksideWatchHandle(await (await navigator.storage.getDirectory()).getDirectoryHandle('mlruns'));
	});
	const status = page.getByTestId('watch-status');
	await expect(status).toContainText('Watching mlruns');
	await expect(status).toContainText('1 run(s), 2 metric point(s)');

	// The cluster's rsync: a second run, and two more points of the first.
	await writeFolder(page, store([1, 2], ['1000 1.0 0', '2000 0.9 1', '3000 0.8 2', '4000 0.7 3']));
	await page.getByTestId('watch-sync').click();
	// Both changed run folders are read; 2 new points of run 1 and 4 of run 2.
	await expect(status).toContainText('2 run(s), 6 metric point(s)');
	await page.getByTestId('watch-sync').click();
	await expect(status).toContainText('(nothing changed)');
	// What a sync cannot import is reported there, as any import's report does.
	await writeFolder(page, [[`mlruns/1/${hex(3)}/metrics/loss`, '1000 1.0 0\n']]);
	await page.getByTestId('watch-sync').click();
	await expect(status.getByTestId('import-report')).toContainText('1 item skipped');
	await expect(status).toContainText('run folder has no meta.yaml');

	await page.goto('./experiment/?id=1');
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(2);
	await page.goto(`./run/?id=${hex(1)}`);
	await expect(page.getByTestId('metric-chart')).toHaveAttribute('data-points', '4');
	// The watch goes on across pages; back home it is still there, and can be stopped.
	await page.goto('./');
	await expect(status).toContainText('Watching mlruns');
	await page.getByTestId('watch-stop').click();
	await expect(page.getByTestId('watch-folder')).toBeVisible();
});

test('a watched mlflow.db is read again when it changed', async ({ page }) => {
	const { initialSqliteStore } = await import('../../src/lib/testing/mlflow-stores');
	const { sqlJs } = await import('../../src/lib/testing/fixtures');
	const SQL = await sqlJs();
	const db = (runs: number) =>
		Buffer.from(
			initialSqliteStore(
				SQL,
				[{ id: 0, name: 'Default' }],
				Array.from({ length: runs }, (_, i) => ({ id: hex(i + 1), experimentId: 0, user: 'me', metrics: [['loss', 0.5, 1000, 0]] }))
			)
		).toString('base64');
	const write = (b64: string) =>
		page.evaluate(async (b64) => {
			const file = await (await navigator.storage.getDirectory()).getFileHandle('mlflow.db', { create: true });
			const w = await file.createWritable();
			await w.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
			await w.close();
		}, b64);
	await page.goto('./');
	await write(db(1));
	await page.evaluate(async () => {
		const w = window as unknown as { __tracksideWatchHandle(h: FileSystemFileHandle): Promise<void> };
		await w.__tracksideWatchHandle(await (await navigator.storage.getDirectory()).getFileHandle('mlflow.db'));
	});
	const status = page.getByTestId('watch-status');
	await expect(status).toContainText('Watching mlflow.db');
	await expect(status).toContainText('1 run(s)');
	await page.getByTestId('watch-sync').click();
	await expect(status).toContainText('(nothing changed)');
	await write(db(3));
	await page.getByTestId('watch-sync').click();
	await expect(status).toContainText('3 run(s)');
	await page.goto('./experiment/?id=0');
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(3);
});
