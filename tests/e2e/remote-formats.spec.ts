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
	await page.getByTestId('artifacts').getByRole('button', { name: /model\// }).click();
	await page.getByTestId('artifacts').getByRole('button', { name: /^MLmodel/ }).first().click();
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
		{ name: 'experiments_search.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ experiments: [dump.experiment] })) },
		{ name: 'runs_search.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ runs })) }
	]);
	await expect(page.getByTestId('import-report').first()).toContainText(`1 experiment, ${runs.length} runs`);

	await page.goto(`./run/?id=${run.info.run_id}`);
	const row = page.getByTestId('metrics').locator('tr', { hasText: metric.key });
	await expect(row.getByTestId('latest-only')).toBeVisible();
	await page.screenshot({ path: SHOTS + 'rest-latest-only.png', fullPage: true });

	await page.goto('./');
	await page.getByTestId('file-input').setInputFiles([
		{ name: `${run.info.run_id}-${metric.key}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ metrics: history })) }
	]);
	await expect(page.getByTestId('import-report').first()).toContainText('3 metric points');
	await page.goto(`./run/?id=${run.info.run_id}`);
	await expect(row).toContainText('3');
	await expect(row.getByTestId('latest-only')).toHaveCount(0);
	await expect(page.getByTestId('metric-chart').filter({ hasText: metric.key })).toHaveAttribute('data-points', '3');
});
