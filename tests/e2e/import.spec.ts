import { test, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { FIXTURES, SHOTS, dropFile, importFiles } from './helpers';

test('drop a real mlruns zip, see experiments and runs, open a run and its chart', async ({ page }) => {
	await page.goto('./');
	await expect(page.getByTestId('no-experiments')).toBeVisible();
	// Nothing to save, so nothing said about saving.
	await expect(page.getByTestId('save-state')).toHaveCount(0);
	await dropFile(page, 'Dan-Irl__mlflow-testing.zip', readFileSync(FIXTURES + 'Dan-Irl__mlflow-testing.zip'));
	const report = page.getByTestId('import-report').first();
	await expect(report).toContainText('2 experiments, 4 runs');
	await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
	await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
	await page.screenshot({ path: SHOTS + 'home-after-import.png', fullPage: true });

	await page.getByRole('link', { name: '/Shared/YOLOv8' }).click();
	const runs = page.getByTestId('runs');
	await expect(runs.locator('tbody tr')).toHaveCount(4);
	await expect(runs).toContainText('sgdtest3');
	await expect(runs.locator('thead')).toContainText('train/box_loss');
	await page.screenshot({ path: SHOTS + 'experiment.png', fullPage: true });

	await runs.getByRole('link', { name: 'sgdtest3' }).click();
	await expect(page.getByTestId('run-name')).toHaveText('sgdtest3');
	await expect(page.getByTestId('overview')).toContainText('2131d384168c44b4ad18ca0899fcd51d');
	const chart = page.getByTestId('metric-chart').filter({ hasText: 'train/box_loss' });
	await expect(chart).toHaveAttribute('data-points', '5');
	await expect(chart.locator('canvas')).toBeVisible();
	await expect(page.getByTestId('params').locator('tbody tr:not(.add)')).toHaveCount(105);
	await page.screenshot({ path: SHOTS + 'run.png', fullPage: true });
	// The URL is a link to this run.
	expect(page.url()).toContain('/run/?id=2131d384168c44b4ad18ca0899fcd51d');

	// Another run kept its artifacts; they download with their bytes.
	await page.goto('./run/?id=890944ee972d4dcb8524043a02d86eff');
	const artifacts = page.getByTestId('artifacts');
	await expect(artifacts).toContainText('results.csv');
	const download = page.waitForEvent('download');
	await artifacts.getByRole('button', { name: /results\.csv/ }).click();
	await page.getByTestId('artifact-preview').getByRole('button', { name: 'Download' }).click();
	const file = await (await download).path();
	expect(readFileSync(file, 'utf8')).toContain('train/box_loss');
});

test('an mlflow.db opens directly, with its registry', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'PatrickCmd__mlops-zoomcamp.zip']);
	await expect(page.getByTestId('import-report').first()).toContainText('134 runs');
	await expect(page.getByTestId('import-report').first()).toContainText('4 model versions');
	await expect(page.getByTestId('sources')).toContainText('PatrickCmd__mlops-zoomcamp.zip');
});

test('a broken file shows an error and earlier data is intact', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'gabrielneil__mlflow-project.zip']);
	await expect(page.getByTestId('experiments')).toContainText('Gabriel_Neil_Project');
	const zip = readFileSync(FIXTURES + 'PacktPublishing__Hyperparameter-Tuning-with-Python.zip');
	await dropFile(page, 'truncated.zip', zip.subarray(0, 5000));
	await expect(page.getByTestId('import-error')).toContainText('truncated.zip is not a readable zip archive');
	await dropFile(page, 'notes.txt', Buffer.from('just some text'));
	await expect(page.getByTestId('import-error')).toContainText('is not a zip archive, an SQLite database or a JSON file');
	await page.screenshot({ path: SHOTS + 'import-error.png', fullPage: true });
	await page.reload();
	await expect(page.getByTestId('experiments')).toContainText('Gabriel_Neil_Project');
	await expect(page.getByTestId('experiments').locator('tbody tr')).toHaveCount(1);
});

test('the demo opens in one click', async ({ page }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('experiments')).toContainText('cifar10-resnet');
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr')).toHaveCount(7);
	await page.getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
	await expect(page.getByTestId('metric-chart')).toHaveCount(4);
	await expect(page.getByTestId('overview')).toContainText('sweep-lr-batch');
	await page.screenshot({ path: SHOTS + 'demo-run.png', fullPage: true });
});

test('a folder picked with the folder picker imports like its zip', async ({ page }) => {
	const dir = mkdtempSync(join(tmpdir(), 'trackside-folder-'));
	try {
		for (const [path, bytes] of Object.entries(unzipSync(readFileSync(FIXTURES + 'nweiand__MLOps.zip')))) {
			if (path.endsWith('/')) continue;
			mkdirSync(dirname(join(dir, path)), { recursive: true });
			writeFileSync(join(dir, path), bytes);
		}
		await page.goto('./');
		await page.getByTestId('folder-input').setInputFiles(join(dir, 'mlruns'));
		await expect(page.getByTestId('import-report').first()).toContainText('2 experiments, 5 runs');
		await expect(page.getByTestId('import-report').first()).toContainText('1 registered model');
		await expect(page.getByTestId('sources')).toContainText('mlruns');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('deleted experiments (.trash) show in the Deleted view, whose state is in the URL', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'PacktPublishing__Hyperparameter-Tuning-with-Python.zip']);
	await expect(page.getByTestId('experiments').locator('tbody tr')).toHaveCount(2);
	await page.getByRole('combobox', { name: 'Lifecycle' }).selectOption('deleted');
	await expect(page).toHaveURL(/\?view=deleted$/);
	await expect(page.getByTestId('experiments').locator('tbody tr')).toHaveCount(5);
	await page.reload();
	await expect(page.getByTestId('experiments')).toContainText('test2');
	await page.getByRole('link', { name: 'test2' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr')).toHaveCount(9); // runs keep their own lifecycle inside a deleted experiment
});

test('removing a source takes what only it brought, and survives a reload', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'gabrielneil__mlflow-project.zip']);
	await importFiles(page, [FIXTURES + 'Dan-Irl__mlflow-testing.zip']);
	await expect(page.getByTestId('experiments')).toContainText('Gabriel_Neil_Project');
	await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
	const source = page.getByTestId('sources').locator('li', { hasText: 'gabrielneil__mlflow-project.zip' });
	await source.locator('summary').click();
	page.once('dialog', (d) => d.accept());
	await source.getByTestId('remove-source').click();
	await expect(page.getByTestId('removed-note')).toContainText('Removed gabrielneil__mlflow-project.zip');
	await expect(page.getByTestId('experiments')).not.toContainText('Gabriel_Neil_Project');
	await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
	await expect(page.getByTestId('save-state')).toContainText('All changes saved');
	await page.reload();
	await expect(page.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
	await expect(page.getByTestId('experiments')).not.toContainText('Gabriel_Neil_Project');
	await expect(page.getByTestId('sources')).not.toContainText('gabrielneil');
});

test("reports tell the whole truth, stores are read by MLflow's rules, and deleted things are marked", async ({ page }) => {
	const { fileStore } = await import('../../src/lib/testing/mlflow-stores');
	const { zipSync } = await import('fflate');
	const hex = (n: number) => n.toString(16).padStart(32, '0');
	const files = fileStore([
		{ id: '0', name: 'Default' },
		{
			id: '1',
			name: 'sweep',
			traces: ['tr-1'],
			runs: [
				{ id: hex(1), name: 'kept', metrics: { loss: ['1 0.5 0', '1 0.5 0', '2 0.4 1'], empty: [] } },
				{ id: hex(2), name: 'gone', lifecycle: 'deleted' }
			]
		},
		{ id: '1', name: 'old-sweep', trashed: true, runs: [{ id: hex(3), name: 'trashed-run', lifecycle: 'deleted' }] }
	]);
	await page.goto('./');
	await dropFile(page, 'merged.zip', Buffer.from(zipSync(Object.fromEntries(files))));
	const report = page.getByTestId('import-report').first();
	await expect(report).toContainText('3 experiments (1 deleted), 3 runs (2 deleted), 2 metric points');
	await expect(report).toContainText('1 metric point(s) repeated an identical point');
	await expect(report).toContainText('imported as deleted experiment 1-2');
	await report.getByText(/items? skipped/).click();
	await expect(report).toContainText('1 trace(s) have no spans in this input (tr-1)');
	await expect(report).toContainText('has an empty file (0 bytes)');
	// The experiment that keeps id 1 is the active one, with its deleted run counted and marked.
	const row = page.getByTestId('experiments').getByRole('row', { name: /sweep/ });
	await expect(row.locator('td.num').first()).toHaveText('1 + 1 deleted');
	// Its trace (no spans in this input) is counted, and links to the Traces tab.
	await expect(row.locator('td.num').nth(1)).toHaveText('1');
	await page.getByRole('link', { name: 'sweep', exact: true }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(1);
	await page.goto(page.url() + '&view=all');
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(2);
	await expect(
		page
			.getByTestId('runs')
			.locator(`tr[data-run-id="${hex(2)}"]`)
			.getByTestId('deleted-mark')
	).toBeVisible();
	await expect(
		page
			.getByTestId('runs')
			.locator(`tr[data-run-id="${hex(1)}"]`)
			.getByTestId('deleted-mark')
	).toHaveCount(0);
	await page.screenshot({ path: SHOTS + 'runs-all-deleted-mark.png', fullPage: true });
});

test('the models list shows the newest version whatever its stage, and the latest per stage', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'silver6wings__MLFlowSample.zip']);
	await page.goto('./models/');
	const models = page.getByTestId('models');
	await expect(models.locator('tbody tr')).not.toHaveCount(0);
	// Every model with versions names its newest one.
	for (const cell of await models.getByTestId('latest-version').all()) await expect(cell).toContainText(/Version \d+/);
	await page.screenshot({ path: SHOTS + 'models-list.png', fullPage: true });
});

test('a keyboard user can import: the file and folder pickers are tab stops that open the chooser', async ({ page }) => {
	await page.goto('./');
	// Tab only once the page has its data: a re-render while tabbing could take the focus away.
	await expect(page.getByTestId('no-experiments')).toBeVisible();
	const files = page.getByTestId('choose-files');
	// Tab through the page until the button has focus (it is a real tab stop, not a label).
	for (let i = 0; i < 40 && !(await files.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(files).toBeFocused();
	const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
	// Enter on the button (press() keeps the focus on it, should a re-render have moved it).
	await files.press('Enter');
	const picked = await chooser;
	expect(picked.isMultiple()).toBe(true);
	await picked.setFiles(FIXTURES + 'gabrielneil__mlflow-project.zip');
	await expect(page.getByTestId('import-report').first()).toContainText('Imported gabrielneil__mlflow-project.zip');
	// A fresh page for the second picker: one chooser right after another was flaky in Chromium.
	await page.reload();
	await expect(page.getByTestId('experiments')).toContainText('Gabriel_Neil_Project');
	const folder = page.getByTestId('choose-folder');
	for (let i = 0; i < 60 && !(await folder.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(folder).toBeFocused();
	const folderChooser = page.waitForEvent('filechooser', { timeout: 10_000 });
	await folder.press('Enter');
	await folderChooser;
});
