import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, SHOTS, importFiles } from './helpers';

test('model registry: list and search models, stage and alias views, compare versions, a version with its MLmodel, links from the run', async ({
	page
}) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('experiments')).toContainText('cifar10-resnet');
	await page.locator('header').getByRole('link', { name: 'Models' }).click();
	const models = page.getByTestId('models');
	await expect(models.locator('tbody tr')).toHaveCount(1);
	const row = models.locator('tr', { hasText: 'cifar10-classifier' });
	await expect(row).toContainText('Version 2'); // latest in Production
	await expect(row).toContainText('@champion → v2');
	await page.screenshot({ path: SHOTS + 'models.png', fullPage: true });

	const search = page.getByTestId('model-search');
	await search.fill("name LIKE 'resnet%'");
	await search.press('Enter');
	await expect(page.getByTestId('no-models')).toBeVisible();
	await search.fill("run_id = 'x'");
	await search.press('Enter');
	await expect(page.getByTestId('model-search-error')).toContainText("Invalid attribute key 'run_id' specified.");
	await search.fill('cifar');
	await search.press('Enter');
	await expect(models.locator('tbody tr')).toHaveCount(1);

	await models.getByRole('link', { name: 'cifar10-classifier' }).click();
	await expect(page.getByTestId('model-name')).toHaveText('cifar10-classifier');
	const versions = page.getByTestId('versions');
	await expect(versions.locator('tbody tr')).toHaveCount(2);
	await expect(versions.locator('tr', { hasText: 'Version 2' })).toContainText('Production');
	await expect(versions.locator('tr', { hasText: 'Version 1' })).toContainText('Archived');
	await page.getByTestId('aliases-view').click();
	await expect(page).toHaveURL(/view=aliases/);
	await expect(versions.locator('tr', { hasText: 'Version 2' })).toContainText('@champion');

	await page.getByLabel('Compare version 1').check();
	await page.getByLabel('Compare version 2').check();
	const diff = page.getByTestId('version-diff');
	await expect(diff.locator('tr.differs', { hasText: 'Stage' })).toContainText('Production');
	// Both versions come from real runs of the sweep, each linked.
	await expect(versions.locator('tbody tr td:nth-last-child(2) a')).toHaveText([/^[0-9a-f]{8}$/, /^[0-9a-f]{8}$/]);
	await page.screenshot({ path: SHOTS + 'model.png', fullPage: true });

	await versions.getByRole('link', { name: 'Version 2' }).click();
	await expect(page.getByTestId('version-title')).toHaveText('cifar10-classifier · Version 2');
	await expect(page.getByTestId('version-overview')).toContainText('@champion');
	await expect(page.getByTestId('mlmodel-preview')).toBeVisible();
	await page.screenshot({ path: SHOTS + 'model-version.png', fullPage: true });

	// The source run by its name, the id on hover.
	await expect(page.getByTestId('source-run')).toHaveText(/^resnet18-lr/);
	await page.getByTestId('source-run').click();
	await expect(page.getByTestId('registered-versions')).toContainText('cifar10-classifier v2');
	await page.getByTestId('registered-versions').getByRole('link', { name: 'cifar10-classifier v2' }).click();
	await expect(page.getByTestId('version-title')).toBeVisible();
});

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

test('a real registry: see a version’s signature, move an alias, transition a stage, and find both after a relaunch', async () => {
	const profile = mkdtempSync(join(tmpdir(), 'trackside-profile-'));
	const launch = () => chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });
	try {
		let context = await launch();
		let page = await context.newPage();
		await page.goto('./');
		await importFiles(page, [FIXTURES + 'AbhaySingh71__Advance-MLflow.zip']);
		await page.goto('./model/?name=sk-learn-random-forest-reg-model');
		const versions = page.getByTestId('versions');
		await expect(versions.locator('tbody tr')).toHaveCount(2);

		// Version 2 was copied from version 1 (models:/…/1): its files are the logged model's.
		await versions.getByRole('link', { name: 'Version 2' }).click();
		const model = page.getByTestId('mlmodel-preview');
		await expect(model).toContainText('sklearn');
		await expect(model.locator('table').first()).toContainText('tensor (float64)');
		await expect(model.locator('table').first()).toContainText('(-1, 4)');
		await page.goBack();

		await page.getByTestId('aliases-view').click();
		await expect(versions.locator('tr', { hasText: 'Version 1' })).toContainText('@champion');
		await page.getByLabel('Add alias to version 2').fill('champion');
		await page.getByLabel('Add alias to version 2').press('Enter');
		await expect(versions.locator('tr', { hasText: 'Version 2' })).toContainText('@champion');
		await expect(versions.locator('tr', { hasText: 'Version 1' })).not.toContainText('@champion');

		await page.getByRole('tab', { name: 'Stages' }).click();
		await page.getByLabel('Stage of version 1').selectOption('Production');
		await page.getByLabel('Stage of version 2').selectOption('Production'); // archives version 1
		await expect(page.getByLabel('Stage of version 1')).toHaveValue('Archived');
		await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
		await context.close();

		context = await launch();
		page = await context.newPage();
		await page.goto('./model/?name=sk-learn-random-forest-reg-model');
		await expect(page.getByLabel('Stage of version 2')).toHaveValue('Production');
		await expect(page.getByLabel('Stage of version 1')).toHaveValue('Archived');
		await expect(page.getByTestId('model-aliases')).toContainText('@champion → version 2');
		await context.close();
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});

test('register a model from a run’s MLmodel, then create, tag and delete models', async ({ page }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await page.getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
	const artifacts = page.getByTestId('artifacts');
	await artifacts.getByRole('button', { name: /model\// }).click();
	await artifacts.getByRole('button', { name: /MLmodel/ }).click();
	const register = page.getByTestId('register-model');
	await register.getByLabel('Register as model').fill('resnet-candidates');
	await register.getByRole('button', { name: 'Register model' }).click();
	await expect(page.getByTestId('version-title')).toHaveText('resnet-candidates · Version 1');
	await expect(page.getByTestId('mlmodel-preview')).toContainText('pytorch');
	const tags = page.getByTestId('version-tags');
	await tags.getByLabel('New tag key').fill('reviewed');
	await tags.getByLabel('New tag value').fill('yes');
	await tags.getByRole('button', { name: 'Add' }).click();
	await expect(tags).toContainText('reviewed');

	await page.locator('header').getByRole('link', { name: 'Models' }).click();
	const form = page.getByTestId('new-model');
	await form.getByLabel('New model name').fill('empty-model');
	await form.getByRole('button', { name: 'Create model' }).click();
	await expect(page.getByTestId('model-name')).toHaveText('empty-model');
	page.once('dialog', (d) => d.accept());
	await page.getByTestId('delete-model').click();
	await expect(page.getByTestId('models')).not.toContainText('empty-model');
	await expect(page.getByTestId('models')).toContainText('resnet-candidates');
});

test('versions are searched with MLflow’s version filter; a logged model has its own page', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [FIXTURES + 'AbhaySingh71__Advance-MLflow.zip']);
	await page.goto('./model/?name=sk-learn-random-forest-reg-model');
	const search = page.getByTestId('version-search');
	await search.fill('version_number > 1');
	await search.press('Enter');
	await expect(page.getByTestId('versions').locator('tbody tr')).toHaveCount(1);
	await expect(page.getByTestId('versions')).toContainText('Version 2');
	await search.fill('run_id IN (1,2)');
	await search.press('Enter');
	await expect(page.getByTestId('version-search-error')).toContainText('expected string value, punctuation, or whitespace');
	await search.fill('');
	await search.press('Enter');
	await page.getByTestId('versions').getByRole('link', { name: 'Version 1' }).click();
	await page.getByTestId('logged-model-link').click();
	await expect(page.getByTestId('logged-model-name')).toContainText('m-8295c1ec84394a5cb43029483caa8a4e');
	await expect(page.getByTestId('mlmodel-preview')).toContainText('sklearn');
	await page.screenshot({ path: SHOTS + 'logged-model.png', fullPage: true });
});
