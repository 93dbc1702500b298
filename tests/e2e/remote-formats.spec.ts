import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { FIXTURES, SHOTS, importFiles } from './helpers';

test('mlflow-export-import samples: runs, registry and exported artifacts, with what was skipped', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'mlflow__mlflow-export-import.zip']);
	const report = page.getByTestId('import-report').first();
	await expect(report).toContainText('mlflow-export-import files');
	await expect(report).toContainText('samples/oss_mlflow/bulk/experiments/2/experiment.json');
	await expect(report).toContainText('not valid JSON');
	await expect(report).toContainText('evaluation dataset');
	await page.screenshot({ path: SHOTS + 'export-import-report.png', fullPage: true });

	await page.goto('./model/?name=sklearn_wine');
	const versions = page.getByTestId('versions');
	await expect(versions).toContainText('Production');
	await expect(versions).toContainText('Staging');
	await expect(page.getByTestId('model-aliases')).toContainText('good-to-go');

	// A Databricks version export: its run and the model files exported beside it.
	await page.goto('./run/?id=6222162b4c7f47c2820a7e5b520f65a9');
	await page
		.getByTestId('artifacts')
		.getByRole('button', { name: /model\// })
		.click();
	await page
		.getByTestId('artifacts')
		.getByRole('button', { name: /^MLmodel/ })
		.first()
		.click();
	await expect(page.getByTestId('artifact-preview')).toContainText('sklearn');
	await page.screenshot({ path: SHOTS + 'export-import-run.png', fullPage: true });
});

test('REST JSON: runs/search marks metrics latest-only until get-history fills them in', async ({ page }) => {
	const files = unzipSync(readFileSync(FIXTURES + 'amesar__mlflow-tools.zip'));
	const dump = JSON.parse(strFromU8(files['samples/oss_mlflow/experiments/experiment.json']));
	const runs = dump.runs.map((r: { run: unknown }) => r.run);
	const run = runs[0];
	const metric = { ...run.data.metrics[0], step: 2 };
	run.data.metrics[0] = metric;
	const history = [0, 1].map((step) => ({ key: metric.key, value: step + 0.5, timestamp: metric.timestamp - 10 + step, step }));
	history.push(metric);

	await page.goto('./');
	await page.getByTestId('file-input').setInputFiles([
		{
			name: 'experiments_search.json',
			mimeType: 'application/json',
			buffer: Buffer.from(JSON.stringify({ experiments: [dump.experiment] }))
		},
		{ name: 'runs_search.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ runs })) }
	]);
	await expect(page.getByTestId('import-report').first()).toContainText(`1 experiment, ${runs.length} runs`);

	await page.goto(`./run/?id=${run.info.run_id}`);
	const row = page.getByTestId('metrics').locator('tr', { hasText: metric.key });
	await expect(row.getByTestId('latest-only')).toBeVisible();
	await page.screenshot({ path: SHOTS + 'rest-latest-only.png', fullPage: true });

	await page.goto('./');
	await page.getByTestId('file-input').setInputFiles([
		{
			name: `${run.info.run_id}-${metric.key}.json`,
			mimeType: 'application/json',
			buffer: Buffer.from(JSON.stringify({ metrics: history }))
		}
	]);
	// Two new points; the third is the latest value runs/search brought.
	await expect(page.getByTestId('import-report').first()).toContainText('2 metric points');
	await expect(page.getByTestId('import-report').first()).toContainText('1 metric point(s) were already in the store');
	await page.goto(`./run/?id=${run.info.run_id}`);
	await expect(row).toContainText('3');
	await expect(row.getByTestId('latest-only')).toHaveCount(0);
	await expect(page.getByTestId('metric-chart').filter({ hasText: metric.key })).toHaveAttribute('data-points', '3');
});

test('export an experiment as an mlruns zip, an mlflow.db and REST JSON; each imports back whole', async ({ page, browser }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(7);
	const zips: Record<string, Buffer> = {};
	for (const format of ['mlruns', 'mlflow-db', 'rest-json']) {
		await page.getByTestId('export-menu').locator('summary').click();
		const download = page.waitForEvent('download');
		await page.getByTestId(`export-${format}`).click();
		const file = await download;
		expect(file.suggestedFilename()).toBe(`cifar10-resnet-${format}.${format === 'mlflow-db' ? 'db' : 'zip'}`);
		zips[format] = readFileSync((await file.path())!);
	}
	const entries = unzipSync(zips.mlruns);
	expect(strFromU8(entries['mlruns/101/meta.yaml'])).toContain('name: cifar10-resnet');
	const lossFile = Object.keys(entries).find((p) => p.endsWith('/metrics/train/loss'))!;
	expect(strFromU8(entries[lossFile]).trim().split('\n')).toHaveLength(60);
	expect(Object.keys(unzipSync(zips['rest-json']))).toContain('mlflow-rest/runs_search.json');
	expect(zips['mlflow-db'].subarray(0, 15).toString()).toBe('SQLite format 3');

	// Each export, imported into a fresh browser profile, gives the same experiment back.
	for (const format of ['mlruns', 'mlflow-db', 'rest-json']) {
		const context = await browser.newContext();
		const fresh = await context.newPage();
		await fresh.goto('./');
		const name = format === 'mlflow-db' ? 'mlflow.db' : `${format}.zip`;
		await fresh.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: zips[format] });
		await expect(fresh.getByTestId('import-report').first()).toContainText('1 experiment, 7 runs');
		if (format === 'mlflow-db')
			await expect(fresh.getByTestId('import-report').first()).toContainText('alembic revision 867495a8f9d4, MLflow 2.13.0');
		await fresh.getByRole('link', { name: 'cifar10-resnet' }).click();
		await expect(fresh.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(7);
		await context.close();
	}
});
