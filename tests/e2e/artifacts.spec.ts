import { test, expect } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { SHOTS, dropFile } from './helpers';

const RUN = '0123456789abcdef0123456789abcdef';
const A = `mlruns/7/${RUN}/artifacts`;
// A 2x2 red PNG.
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
	'base64'
);

function archive(): Buffer {
	return Buffer.from(
		zipSync({
			'mlruns/7/meta.yaml': strToU8('artifact_location: x\nexperiment_id: "7"\nlifecycle_stage: active\nname: with-artifacts\n'),
			[`mlruns/7/${RUN}/meta.yaml`]: strToU8(
				`run_id: ${RUN}\nrun_uuid: ${RUN}\nrun_name: artful\nexperiment_id: "7"\nstatus: 3\nstart_time: 1700000000000\nlifecycle_stage: active\n`
			),
			[`${A}/plots/confusion.png`]: new Uint8Array(PNG),
			[`${A}/data/predictions.csv`]: strToU8('id,label,score\n1,cat,0.91\n2,"dog, big",0.40\n'),
			[`${A}/model/MLmodel`]: strToU8(
				'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\nsaved_input_example_info:\n  artifact_path: input_example.json\nsignature:\n  inputs: \'[{"type": "double", "name": "alcohol"}, {"type": "long", "name": "year"}]\'\n  outputs: \'[{"type": "long"}]\'\n'
			),
			[`${A}/model/input_example.json`]: strToU8('{"columns": ["alcohol", "year"], "data": [[12.5, 2019]]}'),
			[`${A}/report.html`]: strToU8(
				'<h1>Report</h1><script>parent.__pwned = 1; document.title = "ran"</script><img src=x onerror="parent.__pwned=2">'
			),
			[`${A}/notes.txt`]: strToU8('plain notes\nline two\n')
		})
	);
}

test('artifact previews: image, CSV table, MLmodel signature with input example, text, and HTML that cannot run script', async ({
	page
}) => {
	await page.goto('./');
	await dropFile(page, 'artful.zip', archive());
	await expect(page.getByTestId('import-report').first()).toContainText('1 run, 6 artifacts');
	await page.goto(`./run/?id=${RUN}`);
	const browser = page.getByTestId('artifacts');
	const preview = page.getByTestId('artifact-preview');

	await browser.getByRole('button', { name: /plots\// }).click();
	await browser.getByRole('button', { name: /confusion\.png/ }).click();
	await expect(page).toHaveURL(/artifact=plots%2Fconfusion\.png/);
	const img = preview.locator('img');
	await expect(img).toBeVisible();
	expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(2);

	await browser.getByRole('button', { name: /data\// }).click();
	await browser.getByRole('button', { name: /predictions\.csv/ }).click();
	const csv = preview.getByTestId('csv-preview');
	await expect(csv.locator('thead th')).toHaveText(['id', 'label', 'score']);
	await expect(csv.locator('tbody tr').nth(1)).toContainText('dog, big');

	await browser.getByRole('button', { name: /model\// }).click();
	await browser.getByRole('button', { name: /MLmodel/ }).click();
	const model = preview.getByTestId('mlmodel-preview');
	await expect(model).toContainText('python_function');
	await expect(model).toContainText('sklearn');
	await expect(model.locator('table').first().locator('tbody tr')).toHaveCount(2);
	await expect(model).toContainText('alcohol');
	await expect(model).toContainText('"data": [[12.5, 2019]]');
	await page.screenshot({ path: SHOTS + 'artifact-mlmodel.png', fullPage: true });

	await browser.getByRole('button', { name: /notes\.txt/ }).click();
	await expect(preview.getByTestId('text-preview')).toContainText('line two');

	await browser.getByRole('button', { name: /report\.html/ }).click();
	const frame = preview.getByTestId('html-preview');
	await expect(frame).toHaveAttribute('sandbox', '');
	await expect(page.frameLocator('[data-testid="html-preview"]').locator('h1')).toHaveText('Report');
	await page.waitForTimeout(300);
	expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
	await page.screenshot({ path: SHOTS + 'artifact-html.png', fullPage: true });

	// The selection is a link: reloading shows the same preview.
	await page.reload();
	await expect(page.getByTestId('html-preview')).toBeVisible();
});
