import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SHOTS } from './helpers';

async function openDemoExperiment(page: Page) {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('import-report').first()).toBeVisible();
	await page.getByRole('link', { name: 'cifar10-resnet' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(7);
}

const names = (page: Page) => page.getByTestId('runs').locator('tbody tr[data-run-id] td.name a').allInnerTexts();

test('search with MLflow syntax, sort by a column, and reproduce the view from its URL', async ({ page }) => {
	await openDemoExperiment(page);
	const search = page.getByTestId('run-search');
	await search.fill("params.learning_rate = '0.1'");
	await search.press('Enter');
	await expect(page.getByTestId('run-count')).toContainText('2 of 7 runs');
	expect((await names(page)).sort()).toEqual(['resnet18-lr0.1-bs128', 'resnet18-lr0.1-bs64']);

	// MLflow's own error, pointing at the bad value; the table keeps nothing stale.
	await search.fill('params.learning_rate = 0.1');
	await search.press('Enter');
	await expect(page.getByTestId('search-error')).toContainText('Expected a quoted string value for param');
	await expect(page.getByTestId('search-error').locator('pre')).toContainText('^^^');
	await page.screenshot({ path: SHOTS + 'runs-search-error.png', fullPage: true });

	// A key no run has parses, finds nothing, and says why, with the key meant.
	await search.fill('metrics.`val/acuracy` > 0.5');
	await search.press('Enter');
	await expect(page.getByTestId('run-count')).toContainText('0 of 7 runs');
	await expect(page.getByTestId('filter-hints')).toHaveText('No run has metric `val/acuracy`; did you mean `val/accuracy`?');

	await search.fill('metrics.`val/accuracy` > 0');
	await search.press('Enter');
	await expect(page.getByTestId('run-count')).toContainText('6 of 7 runs');
	// The parent run has no metrics, so it is not in the result: its children become top-level rows.
	await page.getByTestId('runs').locator('th', { hasText: 'val/accuracy' }).click();
	await expect.poll(() => new URL(page.url()).searchParams.get('order')).toBe('metrics.`val/accuracy` DESC');
	await expect(page.getByTestId('runs').locator('th', { hasText: 'val/accuracy' })).toHaveAttribute('aria-sort', 'descending');
	const accuracies = await page.getByTestId('runs').evaluate((table) => {
		const header = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('val/accuracy'));
		return [...table.querySelectorAll('tbody tr[data-run-id]')].map((r) => Number((r.children[header] as HTMLElement).innerText));
	});
	expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
	expect(new Set(accuracies).size).toBe(6);
	await page.screenshot({ path: SHOTS + 'runs-sorted.png', fullPage: true });

	// The same URL in a fresh page shows the same view.
	const url = page.url();
	await page.goto(url);
	await expect(page.getByTestId('run-count')).toContainText('6 of 7 runs');
	await expect(page.getByTestId('run-search')).toHaveValue('metrics.`val/accuracy` > 0');
	const again = await names(page);
	expect(again).toHaveLength(6);
});

test('nested runs fold under their parent; columns are chosen; the CSV holds what the table shows', async ({ page }) => {
	await openDemoExperiment(page);
	const parentRow = page.getByTestId('runs').locator('tr', { hasText: 'sweep-lr-batch' });
	// A parent says how many child runs it has, open or folded.
	await expect(parentRow.locator('td.name')).toContainText('(6)');
	await parentRow.getByRole('button', { name: /Collapse 6 child runs/ }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(1);
	await parentRow.getByRole('button', { name: /Expand 6 child runs/ }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(7);

	// Before any choice, the CSV holds every metric and param; it is named after the experiment.
	const first = page.waitForEvent('download');
	await page.getByTestId('download-csv').click();
	expect((await first).suggestedFilename()).toBe('cifar10-resnet-runs.csv');
	const header = readFileSync(await (await first).path(), 'utf8')
		.split('\n')[0]
		.split(',');
	for (const key of ['lr', 'train/loss', 'val/accuracy', 'val/loss', 'batch_size', 'learning_rate', 'grid']) expect(header).toContain(key);

	// Choose columns: drop every default, add one param.
	await page.getByTestId('column-chooser').locator('summary').click();
	const menu = page.getByTestId('column-chooser');
	for (const key of [
		'lr',
		'train/loss',
		'val/accuracy',
		'val/loss',
		'batch_size',
		'epochs',
		'learning_rate',
		'model',
		'momentum',
		'optimizer',
		'grid'
	]) {
		const box = menu.getByLabel(key, { exact: true });
		if (await box.isChecked()) await box.uncheck();
	}
	await menu.getByLabel('learning_rate', { exact: true }).check();
	await expect(page.getByTestId('runs').locator('thead th')).toHaveCount(11);
	await expect(page).toHaveURL(/col=params.learning_rate/);
	await page.screenshot({ path: SHOTS + 'runs-columns.png', fullPage: true });

	const download = page.waitForEvent('download');
	await page.getByTestId('download-csv').click();
	const csv = readFileSync(await (await download).path(), 'utf8')
		.trim()
		.split('\n');
	expect(csv[0]).toBe('Start Time,Duration,Run ID,Name,Source Type,Source Name,User,Status,learning_rate');
	expect(csv).toHaveLength(8);
	expect(csv.some((l) => /,resnet18-lr0\.03-bs64,.*,demo,FINISHED,0\.03$/.test(l))).toBe(true);
});

test('experiments are searched with MLflow’s experiment filter or by name, and sorted', async ({ page }) => {
	await page.goto('./');
	await page.getByTestId('open-demo').click();
	await expect(page.getByTestId('experiments').locator('tbody tr')).toHaveCount(4);
	const search = page.getByTestId('experiment-search');
	await search.fill('tabular');
	await search.press('Enter');
	await expect(page.getByTestId('experiments').locator('tbody tr')).toHaveCount(1);
	await expect(page.getByTestId('experiments')).toContainText('tabular-baselines');
	await search.fill("tags.`mlflow.note.content` LIKE '%ResNet%'");
	await search.press('Enter');
	await expect(page.getByTestId('experiments').locator('tbody tr')).toHaveCount(1);
	await expect(page.getByTestId('experiments')).toContainText('cifar10-resnet');
	await search.fill('name IS NULL');
	await search.press('Enter');
	await expect(page.getByTestId('experiment-search-error')).toContainText('IS NULL / IS NOT NULL is only supported for tags');
	await search.fill('');
	await page.getByTestId('experiment-sort').selectOption('name ASC');
	await expect(page.getByTestId('experiments').locator('tbody tr td:first-child')).toHaveText([
		'Default',
		'cifar10-resnet',
		'support-agent',
		'tabular-baselines'
	]);
	await expect(page).toHaveURL(/sort=name\+ASC/);
});

test('metric cells show the latest, min or max value, as chosen', async ({ page }) => {
	await openDemoExperiment(page);
	const cell = async () =>
		page.getByTestId('runs').evaluate((table) => {
			const header = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('val/loss'));
			const row = [...table.querySelectorAll('tbody tr[data-run-id]')].find((r) => r.textContent?.includes('resnet18-lr0.01-bs128'))!;
			return (row.children[header] as HTMLElement).innerText;
		});
	const latest = await cell();
	await page.getByTestId('metric-shown').selectOption('min');
	await expect(page).toHaveURL(/metric=min/);
	await expect.poll(cell).not.toBe(latest);
	const min = await cell();
	await page.getByRole('link', { name: 'resnet18-lr0.01-bs128' }).click();
	const row = page.getByTestId('metrics').locator('tr', { hasText: 'val/loss' });
	await expect(row.locator('td').nth(2)).toHaveText(min);
	await expect(row.locator('td').nth(1)).toHaveText(latest);
});

test('group by a param with min / mean / max; select, pin and hide runs; all in the URL', async ({ page }) => {
	await openDemoExperiment(page);
	await page.getByTestId('group-by').selectOption('params.learning_rate');
	const groups = page.getByTestId('runs').locator('tbody tr.group');
	await expect(groups).toHaveCount(4); // 0.1, 0.03, 0.01 and the parent run without the param
	// Numbers in numeric order, the run without the param last.
	expect(await groups.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')))).toEqual(['0.01', '0.03', '0.1', '(none)']);
	const g = page.getByTestId('runs').locator('tr[data-group="0.01"]');
	await expect(g).toContainText('(2 runs)');
	// The stats cell of val/accuracy reads min / mean / max of the group's two runs.
	const stats = await page.getByTestId('runs').evaluate((table) => {
		const header = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('val/accuracy'));
		const row = table.querySelector('tr[data-group="0.01"]')!;
		const runs = [...table.querySelectorAll('tbody tr[data-run-id]')].filter((r) => r.textContent?.includes('lr0.01'));
		// Group rows span the fixed columns in one cell: the metric cells follow it.
		const groupCell = row.children[header - 10 + 1] as HTMLElement;
		return { cell: groupCell.innerText, values: runs.map((r) => Number((r.children[header] as HTMLElement).innerText)) };
	});
	// Labelled: "min 0.7 mean 0.72 max 0.74" (the labels in the cell's own words).
	const m = /^min (\S+)\s+mean (\S+)\s+max (\S+)$/i.exec(stats.cell.trim().replace(/\s+/g, ' '))!;
	expect(m, stats.cell).not.toBeNull();
	const [min, mean, max] = m.slice(1).map(Number);
	expect(min).toBeCloseTo(Math.min(...stats.values), 4);
	expect(max).toBeCloseTo(Math.max(...stats.values), 4);
	expect(mean).toBeCloseTo((stats.values[0] + stats.values[1]) / 2, 4);
	await g.getByRole('button', { name: /Collapse group 0.01/ }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(5);
	await page.screenshot({ path: SHOTS + 'runs-grouped.png', fullPage: true });
	await page.getByTestId('group-by').selectOption('');

	// Select two runs, pin one to the top, hide another.
	await page.getByLabel('Select resnet18-lr0.03-bs64').check();
	await page.getByLabel('Select resnet18-lr0.1-bs128').check();
	await expect(page.getByTestId('selected-count')).toHaveText('2 selected');
	await page.getByRole('button', { name: 'Pin resnet18-lr0.01-bs128' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]').first()).toContainText('resnet18-lr0.01-bs128');
	await page.getByRole('button', { name: 'Hide resnet18-lr0.1-bs64' }).click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(6);
	const url = page.url();
	await page.goto(url);
	await expect(page.getByTestId('selected-count')).toHaveText('2 selected');
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]').first()).toContainText('resnet18-lr0.01-bs128');
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(6);
	await page.getByTestId('show-hidden').click();
	await expect(page.getByTestId('runs').locator('tbody tr[data-run-id]')).toHaveCount(7);
});

test('the search box completes keys and known values', async ({ page }) => {
	await openDemoExperiment(page);
	const search = page.getByTestId('run-search');
	await search.click();
	await search.pressSequentially('params.opt');
	const list = page.getByTestId('search-suggestions');
	await expect(list).toContainText('params.optimizer');
	await search.press('Tab');
	await expect(search).toHaveValue('params.optimizer ');
	await search.pressSequentially("= 's");
	await expect(list.getByRole('option')).toHaveText(['sgd']);
	await search.press('Tab');
	await expect(search).toHaveValue("params.optimizer = 'sgd'");
	await page.screenshot({ path: SHOTS + 'runs-search-typed.png' });
	await search.press('Enter');
	await expect(page.getByTestId('run-count')).toContainText('6 of 7 runs');
	await search.fill('');
	await search.pressSequentially('val/acc');
	await expect(list).toContainText('metrics.`val/accuracy`');
	await list.getByRole('button', { name: 'metrics.`val/accuracy`' }).click();
	await expect(search).toHaveValue('metrics.`val/accuracy` ');
});

test('column order and widths are kept', async ({ page }) => {
	await openDemoExperiment(page);
	const headers = () =>
		page.getByTestId('runs').locator('thead th.sortable[title^="metrics."], thead th.sortable[title^="params."]').allInnerTexts();
	const before = await headers();
	await page.getByTestId('column-chooser').locator('summary').click();
	await page.getByRole('button', { name: `Move ${before[1].trim()} left` }).click();
	await expect.poll(async () => (await headers())[0]?.trim()).toBe(before[1].trim());
	const orderedUrl = page.url();
	await page.getByTestId('column-chooser').locator('summary').click(); // close the menu over the header

	// Drag the first key column's edge 80 px to the right.
	const th = page.getByTestId('runs').locator('thead th.sortable[title^="metrics."]').first();
	const width = (await th.boundingBox())!.width;
	const grip = (await th.locator('.grip').boundingBox())!;
	await page.mouse.move(grip.x + 2, grip.y + grip.height / 2);
	await page.mouse.down();
	await page.mouse.move(grip.x + 82, grip.y + grip.height / 2, { steps: 4 });
	await page.mouse.up();
	await expect.poll(async () => Math.round((await th.boundingBox())!.width)).toBeGreaterThan(width + 60);
	const resized = (await th.boundingBox())!.width;

	await page.goto(orderedUrl);
	await expect.poll(async () => (await headers())[0]?.trim()).toBe(before[1].trim());
	await expect
		.poll(async () =>
			Math.round((await page.getByTestId('runs').locator(`thead th.sortable[title^="metrics."]`).first().boundingBox())?.width ?? 0)
		)
		.toBe(Math.round(resized));
});

test('the table header by keyboard: one tab stop a column, Enter sorts, Shift+arrows resize', async ({ page }) => {
	await openDemoExperiment(page);
	const header = page.getByTestId('runs').locator('thead');
	// Every sortable column is one focusable button; the resize grips are not tab stops.
	const sortable = await header.locator('th.sortable').count();
	await expect(header.locator('button')).toHaveCount(sortable);
	const th = header.locator('th.sortable[title^="metrics."]').first();
	const button = th.getByRole('button');
	await button.focus();
	await page.keyboard.press('Enter');
	await expect(th).toHaveAttribute('aria-sort', 'descending');
	expect(page.url()).toContain('order=');
	await page.keyboard.press('Enter');
	await expect(th).toHaveAttribute('aria-sort', 'ascending');
	const width = (await th.boundingBox())!.width;
	await page.keyboard.press('Shift+ArrowRight');
	await page.keyboard.press('Shift+ArrowRight');
	await expect.poll(async () => Math.round((await th.boundingBox())!.width)).toBeGreaterThanOrEqual(Math.round(width + 30));
	// Tab moves on to the next column's button.
	await page.keyboard.press('Tab');
	await expect(header.locator('th.sortable[title^="metrics."]').nth(1).getByRole('button')).toBeFocused();
});

test('the run name stays in view, on top, while the table scrolls right', async ({ page }) => {
	await page.setViewportSize({ width: 900, height: 800 });
	await openDemoExperiment(page);
	const viewport = page.getByTestId('runs-viewport');
	await viewport.evaluate((el) => (el.scrollLeft = el.scrollWidth));
	await expect.poll(() => viewport.evaluate((el) => el.scrollLeft)).toBeGreaterThan(300);
	const placement = await viewport.evaluate((el) => {
		const box = el.getBoundingClientRect();
		return [...el.querySelectorAll('tbody tr[data-run-id]')].map((row) => {
			const name = row.querySelector('td.name') as HTMLElement;
			const r = name.getBoundingClientRect();
			// What the user sees at the middle of the name cell is the name cell itself.
			const top = document.elementFromPoint(r.left + 20, r.top + r.height / 2);
			return { left: Math.round(r.left - box.left), onTop: name.contains(top), text: name.innerText.trim() };
		});
	});
	expect(placement).toHaveLength(7);
	for (const p of placement) {
		expect(p.left).toBeGreaterThanOrEqual(59);
		expect(p.left).toBeLessThanOrEqual(63);
		expect(p.onTop).toBe(true);
	}
	expect(placement.map((p) => p.text)).toEqual(expect.arrayContaining([expect.stringContaining('sweep-lr-batch')]));
	await page.screenshot({ path: SHOTS + 'runs-scrolled-right.png' });
});

test('a view of the experiment is saved by name, reopened from the list after a reload, and deleted', async ({ page }) => {
	await openDemoExperiment(page);
	const search = page.getByTestId('run-search');
	await search.fill("params.batch_size = '64'");
	await search.press('Enter');
	await expect(page.getByTestId('run-count')).toContainText('3 of 7 runs');
	await page.getByTestId('runs').locator('th', { hasText: 'val/accuracy' }).getByRole('button').click();
	await expect.poll(() => new URL(page.url()).searchParams.get('order')).toBe('metrics.`val/accuracy` DESC');
	const shownBefore = await names(page);

	await page.getByTestId('save-view').click();
	await page.getByTestId('view-name').fill('bs64 by accuracy');
	await page.getByTestId('save-view-confirm').click();
	await expect(page.getByTestId('saved-view-select')).toHaveValue('bs64 by accuracy');

	// Elsewhere, then back by the list, after a reload: the same rows in the same order.
	await page.goto(`./experiment/?id=${new URL(page.url()).searchParams.get('id')}`);
	await page.reload();
	await expect(page.getByTestId('run-count')).toContainText('7 of 7 runs');
	await expect(page.getByTestId('saved-view-select')).toHaveValue('');
	await page.getByTestId('saved-view-select').selectOption('bs64 by accuracy');
	await expect(page.getByTestId('run-count')).toContainText('3 of 7 runs');
	await expect(page.getByTestId('run-search')).toHaveValue("params.batch_size = '64'");
	expect(await names(page)).toEqual(shownBefore);
	await page.screenshot({ path: SHOTS + 'saved-view.png' });

	await page.getByTestId('delete-view').click();
	await expect(page.getByTestId('saved-view-select').locator('option')).toHaveCount(1);
	await expect(page.getByTestId('saved-view-select')).toHaveValue('');
});

test('sorted with nested runs, a flat list puts the best child run first', async ({ page }) => {
	await openDemoExperiment(page);
	await page.getByTestId('runs').locator('th', { hasText: 'val/accuracy' }).getByRole('button').click();
	await expect.poll(() => new URL(page.url()).searchParams.get('order')).toBe('metrics.`val/accuracy` DESC');
	// As a tree, the parent (no metrics) heads its children.
	expect((await names(page))[0]).toBe('sweep-lr-batch');
	await page.getByTestId('flat-list').check();
	await expect.poll(() => new URL(page.url()).searchParams.get('flat')).toBe('1');
	const accuracies = await page.getByTestId('runs').evaluate((table) => {
		const header = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('val/accuracy'));
		return [...table.querySelectorAll('tbody tr[data-run-id]')].map((r) => (r.children[header] as HTMLElement).innerText);
	});
	const numbers = accuracies.filter((a) => a !== '—').map(Number);
	expect(numbers).toHaveLength(6);
	expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
	// Every row at the top level: no child marker.
	await expect(page.getByTestId('runs').locator('span.child')).toHaveCount(0);
});

test('arrow keys move between rows, to the same control of the row above or below', async ({ page }) => {
	await openDemoExperiment(page);
	const shown = await names(page);
	const links = page.getByTestId('runs').locator('tbody tr[data-run-id] td.name a');
	await links.first().focus();
	for (let i = 1; i < shown.length; i++) {
		await page.keyboard.press('ArrowDown');
		await expect(page.locator(':focus')).toHaveText(shown[i]);
	}
	// At the last row, down stays put; up goes back.
	await page.keyboard.press('ArrowDown');
	await expect(page.locator(':focus')).toHaveText(shown[shown.length - 1]);
	await page.keyboard.press('ArrowUp');
	await expect(page.locator(':focus')).toHaveText(shown[shown.length - 2]);
	// From a checkbox, the next row's checkbox; space still ticks it.
	const boxes = page.getByTestId('runs').locator('tbody tr[data-run-id] input[type="checkbox"]');
	await boxes.nth(1).focus();
	await page.keyboard.press('ArrowDown');
	await expect(boxes.nth(2)).toBeFocused();
	await page.keyboard.press('Space');
	await expect(boxes.nth(2)).toBeChecked();
});
