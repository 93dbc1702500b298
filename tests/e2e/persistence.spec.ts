import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, SHOTS, importFiles } from './helpers';
import { serveStatic } from './static-server';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
/** The test build (npm run build:test). */
const BUILD = fileURLToPath(new URL('../../build-test/', import.meta.url));

test('data survives closing and relaunching the browser (persistent profile)', async () => {
	const profile = mkdtempSync(join(tmpdir(), 'trackside-profile-'));
	try {
		let context = await chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });
		let page = await context.newPage();
		await page.goto('./');
		await importFiles(page, [FIXTURES + 'AbhaySingh71__Advance-MLflow.zip']);
		await expect(page.getByTestId('experiments')).toContainText('mlflow_model_registry');
		await context.close();

		context = await chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });
		page = await context.newPage();
		await page.goto('./run/?id=548f11038477446eba9ec1cbe8164897');
		await expect(page.getByTestId('run-name')).toHaveText('legendary-roo-165');
		await expect(page.getByTestId('metric-chart')).toHaveCount(1);
		await expect(page.getByTestId('overview')).toContainText('sk-learn-random-forest-reg-model v2');
		await page.goto('./');
		await expect(page.getByTestId('sources')).toContainText('AbhaySingh71__Advance-MLflow.zip');
		await expect(page.getByTestId('storage')).toContainText('Store:');

		// Clear all data asks first, then empties the store for good.
		page.once('dialog', (d) => d.accept());
		await page.getByTestId('clear-all').click();
		await expect(page.getByTestId('no-experiments')).toBeVisible();
		await context.close();
		context = await chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });
		page = await context.newPage();
		await page.goto('./');
		await expect(page.getByTestId('no-experiments')).toBeVisible();
		await context.close();
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});

test('the same build works when hosted under a sub-path', async ({ page }) => {
	const server = await serveStatic(BUILD, '/some/sub/path/');
	try {
		await page.goto(server.url);
		await page.getByTestId('open-demo').click();
		await expect(page.getByTestId('import-report').first()).toBeVisible();
		await page.getByRole('link', { name: 'cifar10-resnet' }).click();
		await expect(page).toHaveURL(/\/some\/sub\/path\/experiment\/\?id=101$/);
		await page.getByRole('link', { name: 'resnet18-lr0.03-bs128' }).click();
		await expect(page.getByTestId('metric-chart')).toHaveCount(4);
		await page.screenshot({ path: SHOTS + 'subpath-run.png', fullPage: true });
		// A deep link opens directly (no server-side fallback needed).
		const url = page.url();
		await page.goto(url);
		await expect(page.getByTestId('run-name')).toHaveText('resnet18-lr0.03-bs128');
	} finally {
		await server.close();
	}
});
