/**
 * MLflow 3 logged models of a real FileStore: the experiment's Models tab lists them with their
 * source runs and registered versions, and the runs table's Models column links them.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { FIXTURES, SHOTS, importFiles } from './helpers';

const ZIP = FIXTURES + 'vydang02__mlops_playground_vy.zip';

test('an experiment’s logged models: the Models tab, and the runs table’s Models column', async ({ page }) => {
	const metas = Object.entries(unzipSync(readFileSync(ZIP), { filter: (f) => /\/models\/m-[0-9a-f]{32}\/meta\.yaml$/.test(f.name) })).map(
		([, b]) => parseYaml(strFromU8(b), { intAsBigInt: true })
	);
	const experimentId = String(metas[0].experiment_id);
	const mine = metas.filter((m) => String(m.experiment_id) === experimentId);
	await page.goto('./');
	await importFiles(page, [ZIP]);
	await page.goto(`./experiment/?id=${experimentId}`);
	// The runs table links each source run's logged model.
	for (const m of mine) {
		const row = page.locator(`[data-testid="runs"] tbody tr[data-run-id="${m.source_run_id}"]`);
		await expect(row.getByRole('link', { name: m.name }).first()).toHaveAttribute('href', new RegExp(`logged-model/\\?id=${m.model_id}`));
	}
	await page.getByTestId('tab-models').click();
	await expect(page.getByTestId('tab-models')).toHaveText(`Models (${mine.length})`);
	const rows = page.getByTestId('logged-models').locator('tbody tr');
	await expect(rows).toHaveCount(mine.length);
	await expect(rows.first()).toContainText('READY');
	await expect(page.getByTestId('logged-models').getByRole('link', { name: /v\d+$/ }).first()).toBeVisible();
	await page.screenshot({ path: SHOTS + 'logged-models.png', fullPage: true });
	await page.getByTestId('logged-model-search').fill(mine[0].model_id);
	await page.getByTestId('logged-model-search').press('Enter');
	await expect(rows).toHaveCount(1);
	// The logged model's page names its experiment and source run (ids on hover).
	await rows.first().getByRole('link', { name: mine[0].name, exact: true }).click();
	const experimentMeta = Object.values(unzipSync(readFileSync(ZIP), { filter: (f) => f.name.endsWith(`/${experimentId}/meta.yaml`) }))[0];
	await expect(page.locator('.crumbs')).toContainText(parseYaml(strFromU8(experimentMeta)).name);
	await expect(page.getByTestId('source-run')).toHaveAttribute('title', mine[0].source_run_id);
	await expect(page.getByTestId('source-run')).not.toHaveText(mine[0].source_run_id);
});
