/**
 * Two tabs of one profile (two pages of one persistent context): each tab's edits and imports
 * survive the other's, and a tab showing data another tab changed refreshes.
 */
import { test, expect, chromium, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, dropFile } from './helpers';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

async function addTag(page: Page, key: string, value: string) {
	const tags = page.getByTestId('tags');
	await tags.getByLabel('New tag key').fill(key);
	await tags.getByLabel('New tag value').fill(value);
	await tags.getByRole('button', { name: 'Add' }).click();
	await expect(tags).toContainText(value);
}

async function setNote(page: Page, text: string) {
	await page.getByTestId('edit-note').click();
	await page.getByTestId('note-input').fill(text);
	await page.getByTestId('save-note').click();
	await expect(page.getByTestId('note-html')).toContainText(text);
}

test("two tabs keep each other's edits and imports, and each shows what the other did", async () => {
	const profile = mkdtempSync(join(tmpdir(), 'trackside-profile-'));
	let context = await chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });
	try {
		const a = await context.newPage();
		await a.goto('./');
		await a.getByTestId('open-demo').click();
		await expect(a.getByTestId('import-report').first()).toBeVisible();
		await a.getByRole('link', { name: 'cifar10-resnet' }).click();
		await a.getByRole('link', { name: 'resnet18-lr0.1-bs64' }).click();
		await expect(a.getByTestId('run-name')).toHaveText('resnet18-lr0.1-bs64');
		const runUrl = a.url();
		const b = await context.newPage();
		await b.goto(runUrl);
		await expect(b.getByTestId('run-name')).toHaveText('resnet18-lr0.1-bs64');

		// A tag in tab A, then a note in tab B: B's save must not drop A's tag.
		await addTag(a, 'reviewed-by', 'tab-a');
		// B shows A's tag without a reload.
		await expect(b.getByTestId('tags')).toContainText('tab-a');
		await setNote(b, 'Noted in tab B');
		await expect(a.getByTestId('note-html')).toContainText('Noted in tab B');

		// An import in A and a note in B at the same time: both kept.
		await a.goto('./');
		const importing = dropFile(a, 'Dan-Irl__mlflow-testing.zip', readFileSync(FIXTURES + 'Dan-Irl__mlflow-testing.zip'));
		await addTag(b, 'second', 'also-tab-b');
		await importing;
		await expect(a.getByTestId('import-report').first()).toContainText('4 runs');
		await expect(a.getByTestId('save-state')).toHaveText('All changes saved');
		await expect(b.getByTestId('save-state')).toHaveText('All changes saved');

		// Everything is in the saved store: a relaunch shows it all.
		await context.close();
		context = await chromium.launchPersistentContext(profile, { executablePath, baseURL: 'http://localhost:4174' });
		const c = await context.newPage();
		await c.goto(runUrl);
		await expect(c.getByTestId('tags')).toContainText('tab-a');
		await expect(c.getByTestId('tags')).toContainText('also-tab-b');
		await expect(c.getByTestId('note-html')).toContainText('Noted in tab B');
		await c.goto('./');
		await expect(c.getByTestId('experiments')).toContainText('/Shared/YOLOv8');
		await expect(c.getByTestId('experiments')).toContainText('cifar10-resnet');
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
});
