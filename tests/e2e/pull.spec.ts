import { test, expect } from '@playwright/test';
import { importFixture } from '../../src/lib/testing/fixtures';
import { startMlflowServer, type TestServer } from '../../src/lib/testing/mlflow-server';
import { SHOTS } from './helpers';

let server: TestServer | undefined;
test.afterEach(async () => {
	await server?.close();
	server = undefined;
});

test('a server that does not allow this origin: the error explains CORS and gives the server flag', async ({ page }) => {
	const { store } = await importFixture('gabrielneil__mlflow-project.zip');
	server = await startMlflowServer(store, { allowOrigins: [] });
	await page.goto('./');
	await page.getByTestId('pull-panel').locator('summary').click();
	await page.getByTestId('pull-url').fill(server.url);
	await page.getByTestId('pull-connect').click();
	const error = page.getByTestId('pull-error');
	await expect(error).toContainText('CORS', { timeout: 30_000 });
	await expect(error).toContainText('mlflow server --cors-allowed-origins "http://localhost:4174"');
	await page.screenshot({ path: SHOTS + 'pull-cors.png', fullPage: true });
});

test('pull a real registry from a tracking server with a token; pulling again fetches no history', async ({ page }) => {
	const { store } = await importFixture('PatrickCmd__mlops-zoomcamp.zip');
	server = await startMlflowServer(store, { allowOrigins: ['http://localhost:4174'], token: 's3cret', pageSize: 50 });
	await page.goto('./');
	await page.getByTestId('pull-panel').locator('summary').click();
	await page.getByTestId('pull-url').fill(server.url);
	await page.getByTestId('pull-auth').selectOption('token');
	await page.getByTestId('pull-token').fill('wrong');
	await page.getByTestId('pull-connect').click();
	await expect(page.getByTestId('pull-error')).toContainText('401, not signed in');
	await page.getByTestId('pull-token').fill('s3cret');
	await page.getByTestId('pull-connect').click();
	await expect(page.getByTestId('pull-experiments').locator('label')).not.toHaveCount(0);
	await page.getByTestId('pull-start').click();
	const report = page.getByTestId('pull-panel').getByTestId('import-report');
	await expect(report).toContainText('runs', { timeout: 60_000 });
	const active = store.queries
		.runs({ view: 'all' })
		.filter((r) => store.queries.experiment(r.info.experiment_id)!.lifecycle_stage === 'active').length;
	await expect(report).toContainText(`${active} runs`);
	await expect(page.getByTestId('experiments')).toContainText('nyc-taxi-experiment');
	await page.screenshot({ path: SHOTS + 'pull-done.png', fullPage: true });
	const histories = () => server!.requests.filter((r) => r.endsWith('get-history')).length;
	const first = histories();
	expect(first).toBeGreaterThan(50);
	await page.getByTestId('pull-start').click();
	await expect(report).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('pull-start')).toBeEnabled();
	expect(histories()).toBe(first);
	await page.goto('./models/');
	await expect(page.locator('body')).toContainText('nyc-taxi-regressor');
});
