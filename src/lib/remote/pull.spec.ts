/**
 * Pulls from a loopback MLflow server (testing/mlflow-server.ts) that serves a real fixture:
 * paging, a token, a 500 mid-pull, a dropped connection, resume, and incremental pulls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../db/store';
import { Workspace } from '../workspace/workspace';
import { MemoryPersistence } from '../workspace/persistence';
import { importFixture, sqlJs } from '../testing/fixtures';
import { contents } from '../testing/store-contents';
import { startMlflowServer, type ServerOptions, type TestServer } from '../testing/mlflow-server';
import { MlflowClient, RemoteError, type ClientOptions } from './client';
import { listExperiments } from './pull';

const FIXTURE = 'PatrickCmd__mlops-zoomcamp.zip';
let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function setup(options: ServerOptions, client: Partial<ClientOptions> = {}) {
	const { store: source } = await importFixture(FIXTURE);
	server = await startMlflowServer(source, options);
	const c = new MlflowClient({ url: server.url, rate: 10_000, sleep: async () => {}, ...client });
	const plan = { experimentIds: (await listExperiments(c)).map((e) => e.experiment_id), registry: true };
	return { source, ...(await target()), client: c, plan };
}

/** A workspace to pull into, and what it saved (the store as the next session opens it). */
async function target() {
	const persistence = new MemoryPersistence();
	const ws = await Workspace.open(await sqlJs(), persistence);
	const saved = async () => {
		const image = await persistence.loadImage();
		return Store.open(await sqlJs(), image?.bytes, image?.bulk ?? null);
	};
	return { ws, saved };
}

const histories = (s: TestServer) => s.requests.filter((r) => r.endsWith('metrics/get-history')).length;

describe('pull from a tracking server', () => {
	it('pulls experiments, runs, full paged histories and the registry, as the server holds them', async () => {
		const { source, ws, saved, client, plan } = await setup(
			{ token: 'secret', pageSize: 25 },
			{ auth: { kind: 'token', token: 'secret' } }
		);
		const report = await ws.pull(client, server!.url, plan);
		expect(report.imported.runs).toBe(134);
		expect(contents(await saved())).toEqual(contents(source));
		// Paged: 134 runs in pages of 25, histories of 1,001 points in pages of 25.
		expect(server!.requests.filter((r) => r.endsWith('runs/search')).length).toBeGreaterThanOrEqual(6);
		expect(ws.queries.metricKeys('5e0ee39592c04e9888b112039ed15e6e').find((k) => k.key === 'validation-rmse')).toMatchObject({
			point_count: 1001,
			latest_only: 0
		});
	});

	it('says the token is refused and changes nothing', async () => {
		const { ws, plan } = await setup({ token: 'secret' }, { auth: { kind: 'token', token: 'secret' } });
		const bad = new MlflowClient({ url: server!.url, auth: { kind: 'token', token: 'wrong' }, sleep: async () => {} });
		const err = await ws.pull(bad, server!.url, plan).catch((e) => e);
		expect(err).toBeInstanceOf(RemoteError);
		expect(err.reason).toBe('auth');
		expect(err.message).toMatch(/refused the request \(401, not signed in\)\. Check the token/);
		expect(ws.queries.counts().runs).toBe(0);
	});

	it('signs in with a user and password (basic auth)', async () => {
		const { source, ws, saved, client, plan } = await setup(
			{ basic: { user: 'ann', password: 'pw' } },
			{ auth: { kind: 'basic', user: 'ann', password: 'pw' } }
		);
		await ws.pull(client, server!.url, plan);
		expect(contents(await saved())).toEqual(contents(source));
		const wrong = new MlflowClient({ url: server!.url, auth: { kind: 'basic', user: 'ann', password: 'no' }, sleep: async () => {} });
		expect((await listExperiments(wrong).catch((e) => e)).reason).toBe('auth');
	});

	it('retries a 500 and a dropped connection, and the pull completes', async () => {
		const { source, ws, saved, client, plan } = await setup({ failFirst: { path: 'get-history', times: 2 }, dropRequest: 4 });
		await ws.pull(client, server!.url, plan);
		expect(contents(await saved())).toEqual(contents(source));
	});

	it('a pull that fails midway writes nothing; pulling again resumes and duplicates nothing', async () => {
		// The connection drops on the 30th request (some histories already fetched), with no retries.
		const { source, ws, saved, plan } = await setup({ dropRequest: 30 });
		const noRetry = new MlflowClient({ url: server!.url, retries: 0, sleep: async () => {} });
		const err = await ws.pull(noRetry, server!.url, plan).catch((e) => e);
		expect(err).toBeInstanceOf(RemoteError);
		expect(ws.queries.counts().runs).toBe(0);
		const state = ws.pullState(server!.url)!;
		const fetched = state.histories.size;
		expect(fetched).toBeGreaterThan(10);
		// Resume: only the histories not fetched yet are asked for.
		const before = histories(server!);
		await ws.pull(noRetry, server!.url, plan);
		expect(histories(server!) - before).toBe(state.histories.size - fetched);
		expect(ws.pullState(server!.url)).toBeUndefined();
		expect(contents(await saved())).toEqual(contents(source));
	});

	it('pulling again fetches only what changed: nothing, then the one run that logged a point', async () => {
		const { source, ws, saved, client, plan } = await setup({});
		await ws.pull(client, server!.url, plan);
		const first = histories(server!);
		expect(first).toBeGreaterThan(100);
		await ws.pull(client, server!.url, plan);
		expect(histories(server!)).toBe(first);
		// The run logs a new point on the server.
		const runId = '5e0ee39592c04e9888b112039ed15e6e';
		await source.edit({ op: 'logMetric', runId, key: 'validation-rmse', value: 4.2, step: 5000, timestamp: 2e12 });
		await ws.pull(client, server!.url, plan);
		expect(histories(server!)).toBe(first + 1);
		expect(ws.queries.metricKeys(runId).find((k) => k.key === 'validation-rmse')!.point_count).toBe(1002);
		expect(contents(await saved())).toEqual(contents(source));
	});

	it('explains CORS when the browser gets no response at all', async () => {
		const failing = new MlflowClient({
			url: 'http://localhost:5000',
			origin: 'https://trackside.example',
			retries: 1,
			sleep: async () => {},
			fetch: async () => {
				throw new TypeError('Failed to fetch');
			}
		});
		const err = await listExperiments(failing).catch((e) => e);
		expect(err.reason).toBe('cors');
		expect(err.kind).toBe('remote');
		expect(err.message).toContain('mlflow server --cors-allowed-origins "https://trackside.example"');
	});

	it('pulls artifacts up to a size limit, and says what the limit left out', async () => {
		const { store: source } = await importFixture(FIXTURE);
		const [r1, r2] = source.queries.runs({ view: 'all' }).map((r) => r.info.run_id);
		const enc = new TextEncoder();
		const artifacts: Record<string, Record<string, Uint8Array>> = {
			[r1]: { 'model/MLmodel': enc.encode('flavors: {}\n'), 'model/model.pkl': new Uint8Array(3000), 'notes.txt': enc.encode('hello') },
			[r2]: { 'big.bin': new Uint8Array(50_000) }
		};
		server = await startMlflowServer(source, { artifacts });
		const { ws } = await target();
		const c = new MlflowClient({ url: server.url, rate: 10_000, sleep: async () => {} });
		const plan = { experimentIds: (await listExperiments(c)).map((e) => e.experiment_id), registry: false, artifactBytes: 10_000 };
		const report = await ws.pull(c, server!.url, plan);
		expect(ws.queries.artifacts(r1).map((a) => [a.path, a.size])).toEqual([
			['model/MLmodel', 12],
			['model/model.pkl', 3000],
			['notes.txt', 5]
		]);
		expect(ws.queries.artifacts(r2)).toEqual([]);
		expect(report.notes).toContain('1 artifact file(s) (0 MB) were not pulled: over the size limit of this pull.');
	});
});
