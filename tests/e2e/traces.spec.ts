/**
 * GenAI traces as a user meets them: import a real MLflow 3 store, filter the trace list with
 * MLflow's grammar, open a trace, expand and collapse spans, read a chat span and its assessments,
 * follow a session; and open a trace from a published snapshot. Every count is checked against the
 * source database, read here with sql.js.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { main } from '../../src/cli/main';
import { sqlJsNode } from '../../src/cli/sqljs-node';
import { SHOTS, importFiles } from './helpers';
import { serveStatic, type StaticServer } from './static-server';

const GENAI = fileURLToPath(new URL('../../../shared/fixtures/genai/', import.meta.url));
const TAKAAKI = GENAI + 'takaaki-yayoi__mlflow_llmops.zip';

/** Rows of a query over the fixture's own mlflow.db. */
async function sourceRows(zip: string, sql: string): Promise<Record<string, unknown>[]> {
	const files = unzipSync(readFileSync(zip), { filter: (f) => f.name.endsWith('.db') });
	const db = new (await sqlJsNode()).Database(Object.values(files)[0]);
	const r = db.exec(sql)[0];
	db.close();
	return r ? r.values.map((v) => Object.fromEntries(r.columns.map((c, i) => [c, v[i]]))) : [];
}

let server: StaticServer;
test.beforeAll(async () => {
	const site = mkdtempSync(join(tmpdir(), 'trackside-genai-site-'));
	const quiet = () => {};
	expect(await main(['publish', TAKAAKI, '--out', site], quiet, quiet)).toBe(0);
	server = await serveStatic(site, '/genai/', { ranges: true, headersFile: true });
});
test.afterAll(() => server.close());

test('traces of a real MLflow 3 store: list, filter, a trace with its spans, chat and assessments, a session', async ({ page }) => {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto('./');
	await importFiles(page, [TAKAAKI]);
	await expect(page.getByTestId('import-report').first()).toContainText('14 traces, 151 spans, 39 assessments');

	const [exp] = await sourceRows(
		TAKAAKI,
		'SELECT experiment_id, name FROM experiments WHERE experiment_id IN (SELECT experiment_id FROM trace_info)'
	);
	await page
		.getByRole('link', { name: String(exp.name) })
		.first()
		.click();
	await page.getByTestId('tab-traces').click();
	await expect(page).toHaveURL(new RegExp(`/traces/\\?exp=${exp.experiment_id}`));
	await expect(page.getByTestId('trace-count')).toHaveText('14 traces');
	await expect(page.getByTestId('trace-row')).toHaveCount(14);
	const scorers = await sourceRows(TAKAAKI, `SELECT count(*) AS n FROM scorers WHERE experiment_id = ${exp.experiment_id}`);
	await expect(page.getByTestId('scorers')).toContainText(`Registered scorers (${scorers[0].n})`);
	// Newest first, as MLflow orders them.
	const newest = await sourceRows(TAKAAKI, 'SELECT request_id FROM trace_info ORDER BY timestamp_ms DESC, request_id LIMIT 1');
	await expect(page.getByTestId('trace-row').first()).toHaveAttribute('data-trace-id', String(newest[0].request_id));
	await page.screenshot({ path: SHOTS + 'traces-list.png' });

	// An assessment filter, in MLflow's grammar: the rows are the traces whose valid feedback says so.
	const yes = await sourceRows(
		TAKAAKI,
		`SELECT DISTINCT trace_id FROM assessments WHERE name = 'correctness' AND assessment_type = 'feedback' AND value = '"yes"' AND valid = 1`
	);
	const filter = page.getByTestId('trace-filter');
	await filter.fill("feedback.correctness = 'yes'");
	await filter.press('Enter');
	await expect(page.getByTestId('trace-count')).toHaveText(`${yes.length} trace${yes.length === 1 ? '' : 's'}`);
	const shown = await page.getByTestId('trace-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));
	expect(new Set(shown)).toEqual(new Set(yes.map((r) => r.trace_id)));
	await filter.fill("span.kind = 'x'");
	await filter.press('Enter');
	await expect(page.getByTestId('trace-filter-error')).toContainText("Invalid entity type 'span'");
	await filter.fill('');
	await filter.press('Enter');
	await expect(page.getByTestId('trace-row')).toHaveCount(14);
	// Slowest first.
	await page.getByTestId('sort-execution_time_ms').click();
	const slowest = await sourceRows(TAKAAKI, 'SELECT request_id FROM trace_info ORDER BY execution_time_ms DESC LIMIT 1');
	await expect(page.getByTestId('trace-row').first()).toHaveAttribute('data-trace-id', String(slowest[0].request_id));

	// The trace: every span in the tree (a small trace opens whole), the root selected.
	const traceId = String(slowest[0].request_id);
	const spans = await sourceRows(TAKAAKI, `SELECT span_id, parent_span_id, name, type FROM spans WHERE trace_id = '${traceId}'`);
	await page.getByTestId('trace-row').first().getByTestId('trace-link').click();
	await expect(page).toHaveURL(new RegExp(`/trace/\\?id=${traceId}`));
	const rows = page.getByTestId('span-row');
	await expect(rows).toHaveCount(spans.length);
	expect(new Set(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-span-id'))))).toEqual(
		new Set(spans.map((s) => s.span_id))
	);
	const root = spans.find((s) => s.parent_span_id === null)!;
	await expect(page.getByTestId('span-details').locator('h2')).toHaveText(String(root.name));
	// Collapse the root: only it is left; open it again with the keyboard.
	await rows.first().getByTestId('span-toggle').click();
	await expect(rows).toHaveCount(1);
	await rows.first().locator('.name').focus();
	await page.keyboard.press('ArrowRight');
	// Open again as it was: the spans below that were open stay open.
	await expect(rows).toHaveCount(spans.length);
	await page.keyboard.press('ArrowDown');
	const second = await rows.nth(1).getAttribute('data-span-id');
	await expect(page.getByTestId('span-details').locator('h2')).toHaveText(String(spans.find((s) => s.span_id === second)!.name));
	await page.keyboard.press('ArrowUp');

	// Assessments made on the root span are shown with it, values as the source holds them.
	const onRoot = await sourceRows(
		TAKAAKI,
		`SELECT name, value FROM assessments WHERE trace_id = '${traceId}' AND span_id = '${root.span_id}'`
	);
	await expect(page.getByTestId('span-details').getByTestId('assessment')).toHaveCount(onRoot.length);

	// A chat model span reads as a conversation, and as JSON on request.
	const chatSpan = spans.find((s) => s.type === 'CHAT_MODEL')!;
	// Open everything, then pick the chat span.
	for (let i = 0; i < 5; i++) {
		const closed = page.locator('[data-testid="span-toggle"][aria-expanded="false"]');
		if ((await closed.count()) === 0) break;
		await closed.first().click();
	}
	await page.locator(`[data-span-id="${chatSpan.span_id}"] .name`).click();
	await expect(page.getByTestId('span-type')).toHaveText('CHAT_MODEL');
	await expect(page.getByTestId('chat').locator('li').first()).toBeVisible();
	await page.getByTestId('show-json').click();
	await expect(page.getByTestId('span-inputs')).toContainText('messages');
	await page.screenshot({ path: SHOTS + 'trace-view.png', fullPage: true });

	// Its session, as a transcript with one turn per trace of that session.
	const session = String(
		(
			await sourceRows(TAKAAKI, `SELECT value FROM trace_request_metadata WHERE request_id = '${traceId}' AND key = 'mlflow.trace.session'`)
		)[0].value
	);
	const turns = await sourceRows(
		TAKAAKI,
		`SELECT request_id FROM trace_request_metadata WHERE key = 'mlflow.trace.session' AND value = '${session}'`
	);
	await page.getByTestId('trace-session').click();
	await expect(page.getByTestId('turn')).toHaveCount(turns.length);
	await page.screenshot({ path: SHOTS + 'session.png', fullPage: true });

	// A second visit: the same trace, from the saved store.
	await page.goto(`./trace/?id=${traceId}`);
	await expect(page.getByTestId('span-row')).toHaveCount(spans.length);
	expect(errors).toEqual([]);
});

test('an MLflow 2 store whose span files were not kept: the trace row, its request, and spans said missing', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [GENAI + 'aaaaandreiii__SwiftMemo_STAI1000.zip']);
	await expect(page.getByTestId('import-report').first()).toContainText('16 traces');
	const [t] = await sourceRows(GENAI + 'aaaaandreiii__SwiftMemo_STAI1000.zip', 'SELECT request_id FROM trace_info LIMIT 1');
	await page.goto(`./trace/?id=${t.request_id}`);
	await expect(page.getByTestId('spans-missing')).toContainText('Spans are not available');
	await expect(page.getByTestId('span-tree')).toHaveCount(0);
});

test('a published snapshot opens a trace: span JSON fetched on demand from its entries', async ({ page }) => {
	const [t] = await sourceRows(TAKAAKI, 'SELECT request_id FROM trace_info ORDER BY timestamp_ms DESC LIMIT 1');
	await page.goto(server.url);
	await expect(page.getByTestId('read-only-banner')).toBeVisible();
	await page.goto(`${server.url}trace/?id=${t.request_id}`);
	await expect(page.getByTestId('span-row').first()).toBeVisible();
	await expect(page.getByTestId('span-details').locator('h2')).not.toHaveText('');
	await expect(page.getByTestId('span-details')).not.toContainText('Reading the span');
	expect(server.sent('snapshot.trackside')).toBeGreaterThan(0);
});

test('the prompt registry of a real store: prompts apart from models, a version with its variables, a diff, the runs that used it', async ({
	page
}) => {
	const zip = GENAI + 'Esai-Keshav__dspy-poc.zip';
	await page.goto('./');
	await importFiles(page, [zip]);
	await page.locator('header').getByRole('link', { name: 'Prompts' }).click();
	const names = await sourceRows(zip, "SELECT name FROM registered_model_tags WHERE key = 'mlflow.prompt.is_prompt' ORDER BY name");
	await expect(page.getByTestId('prompts').locator('tbody tr')).toHaveCount(names.length);
	await page.locator('header').getByRole('link', { name: 'Models' }).click();
	await expect(page.getByTestId('no-models')).toBeVisible();
	await page.locator('header').getByRole('link', { name: 'Prompts' }).click();
	await page.getByTestId('prompts').getByRole('link', { name: 'qa' }).click();
	const versions = await sourceRows(
		zip,
		"SELECT version, value FROM model_version_tags WHERE name = 'qa' AND key = 'mlflow.prompt.text' ORDER BY version DESC"
	);
	await expect(page.getByTestId('prompt-version')).toHaveCount(versions.length);
	// The newest version first, its text as stored, each {{variable}} marked.
	await expect(page.getByTestId('prompt-text')).toHaveText(String(versions[0].value));
	const marks = [...String(versions[0].value).matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].length;
	await expect(page.getByTestId('prompt-text').locator('mark')).toHaveCount(marks);
	// Version 5, used by runs (their mlflow.linkedPrompts tag), and its changes from version 4.
	await page.getByTestId('prompt-version').filter({ hasText: 'Version 5' }).click();
	await expect(page).toHaveURL(/version=5/);
	await expect(page.getByTestId('prompt-template').locator('h2')).toContainText('Version 5');
	const runs = await sourceRows(
		zip,
		`SELECT run_uuid FROM tags WHERE key = 'mlflow.linkedPrompts' AND value LIKE '%"qa", "version": "5"%'`
	);
	await expect(page.getByTestId('prompt-uses').locator('li')).toHaveCount(runs.length);
	await page.getByTestId('prompt-compare').selectOption('4');
	await expect(page.getByTestId('prompt-diff')).toBeVisible();
	await page.screenshot({ path: SHOTS + 'prompt-diff.png', fullPage: true });
});

test('an evaluation run lists its evaluated traces with each assessment, and aggregates them', async ({ page }) => {
	await page.goto('./');
	await importFiles(page, [TAKAAKI]);
	const [run] = await sourceRows(
		TAKAAKI,
		"SELECT destination_id AS run_id, count(*) AS n FROM entity_associations WHERE source_type = 'trace' AND destination_type = 'run' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
	);
	const linked = await sourceRows(
		TAKAAKI,
		`SELECT source_id FROM entity_associations WHERE destination_id = '${run.run_id}' UNION SELECT request_id FROM trace_request_metadata WHERE key = 'mlflow.sourceRun' AND value = '${run.run_id}'`
	);
	await page.goto(`./run/?id=${run.run_id}`);
	const table = page.getByTestId('evaluation-table');
	await expect(table.locator('tbody tr')).toHaveCount(linked.length);
	// The share of "yes" for a judge, over the traces that have its (latest valid, trace-level first) value.
	const names = await table.locator('thead th').allInnerTexts();
	const judged = await sourceRows(
		TAKAAKI,
		`SELECT a.trace_id, a.value FROM assessments a WHERE a.valid = 1 AND a.name = 'correctness' AND a.trace_id IN (${linked.map((l) => `'${l.source_id}'`).join(', ')})
			ORDER BY a.span_id IS NOT NULL, a.created_timestamp DESC`
	);
	const latest = new Map<string, unknown>();
	for (const j of judged) if (!latest.has(String(j.trace_id))) latest.set(String(j.trace_id), JSON.parse(String(j.value)));
	if (names.includes('correctness') && latest.size) {
		const pass = Math.round((100 * [...latest.values()].filter((v) => v === 'yes').length) / latest.size);
		await expect(page.getByTestId('evaluation-aggregates')).toContainText(`correctness ${pass}% pass of ${latest.size}`);
	}
	await page.screenshot({ path: SHOTS + 'evaluation-run.png', fullPage: true });

	// Compared, evaluation runs have their assessments as metrics, equal to MLflow's own <judge>/mean.
	const evalRuns = await sourceRows(TAKAAKI, "SELECT run_uuid FROM tags WHERE key = 'mlflow.run.isEval'");
	await page.goto(`./compare/?${evalRuns.map((r) => `run=${r.run_uuid}`).join('&')}&tab=table&transpose=0`);
	const compared = page.getByTestId('compare-table');
	const row = (key: string) =>
		compared.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^metric ${key.replace('/', '\\/')}$`) }) });
	await expect(row('assessments/correctness')).toHaveCount(1);
	expect(await row('assessments/correctness').locator('td').allInnerTexts()).toEqual(
		await row('correctness/mean').locator('td').allInnerTexts()
	);
});

test('evaluation datasets of an mlflow-export-import output: the tab, each dataset with its records', async ({ page }) => {
	const zip = fileURLToPath(new URL('../../../shared/fixtures/real/mlflow__mlflow-export-import.zip', import.meta.url));
	const samples = Object.entries(unzipSync(readFileSync(zip), { filter: (f) => f.name.endsWith('evaluation_dataset.json') })).map(
		([, b]) => JSON.parse(new TextDecoder().decode(b)).mlflow.evaluation_dataset
	);
	await page.goto('./');
	await importFiles(page, [zip]);
	for (const ds of samples) {
		await page.goto(`./datasets/?exp=${ds.experiment_ids[0]}&dataset=${ds.dataset_id}`);
		await expect(page.getByTestId('tab-datasets')).toBeVisible();
		await expect(page.getByTestId('dataset-records').locator('tbody tr')).toHaveCount(ds.records.length);
		const first = Object.entries(ds.records[0].inputs)[0];
		await expect(page.getByTestId('dataset-records').locator('tbody tr').first()).toContainText(`${first[0]}: ${first[1]}`);
	}
	await page.screenshot({ path: SHOTS + 'evaluation-datasets.png', fullPage: true });
});
