/**
 * A loopback MLflow tracking server for tests: serves the REST endpoints a pull uses from a
 * Trackside store (whose queries already answer in MLflow's REST shapes), with MLflow's paging
 * (max_results, page_token), and faults on demand: a required token, a 500 on a path, a
 * connection dropped on the nth request, and CORS that allows only listed origins.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../db/store';

export interface ServerOptions {
	token?: string;
	/** Basic auth (user and password) accepted besides the token. */
	basic?: { user: string; password: string };
	/** Origins allowed by CORS; others get no Access-Control-Allow-Origin (the browser blocks). */
	allowOrigins?: string[];
	/** Answer 500 the first N times a path containing this text is asked. */
	failFirst?: { path: string; times: number };
	/** Destroy the socket of the nth request (1-based), without answering. */
	dropRequest?: number;
	pageSize?: number;
	/** Artifact files served per run (artifacts/list and /get-artifact). */
	artifacts?: Record<string, Record<string, Uint8Array>>;
}

export interface TestServer {
	url: string;
	requests: string[];
	close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
	let text = '';
	for await (const chunk of req) text += chunk;
	return text ? JSON.parse(text) : {};
}

function page<T>(items: T[], params: Record<string, unknown>, fallback: number): { items: T[]; next?: string } {
	const size = Math.min(Number(params.max_results ?? fallback), fallback);
	const start = Number(params.page_token ?? 0);
	const end = start + size;
	return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export async function startMlflowServer(store: Store, options: ServerOptions = {}): Promise<TestServer> {
	const requests: string[] = [];
	let failures = 0;
	const q = store.queries;
	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		requests.push(`${req.method} ${url.pathname}`);
		const origin = req.headers.origin;
		if (origin && (options.allowOrigins ?? []).some((o) => o === '*' || o === origin)) {
			res.setHeader('Access-Control-Allow-Origin', origin);
			res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
			res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
		}
		if (req.method === 'OPTIONS') return void res.writeHead(204).end();
		if (options.dropRequest === requests.length) return void req.socket.destroy();
		const basic = options.basic && `Basic ${Buffer.from(`${options.basic.user}:${options.basic.password}`).toString('base64')}`;
		const signedIn = req.headers.authorization === `Bearer ${options.token}` || (!!basic && req.headers.authorization === basic);
		if ((options.token || basic) && !signedIn) {
			return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error_code":"UNAUTHENTICATED","message":"bad token"}');
		}
		if (options.failFirst && url.pathname.includes(options.failFirst.path) && failures < options.failFirst.times) {
			failures++;
			return void res.writeHead(500).end('{"error_code":"INTERNAL_ERROR"}');
		}
		if (url.pathname === '/get-artifact') {
			const bytes = options.artifacts?.[url.searchParams.get('run_uuid') ?? '']?.[url.searchParams.get('path') ?? ''];
			return void (bytes ? res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes) : res.writeHead(404).end());
		}
		const params: Record<string, unknown> = req.method === 'POST' ? await body(req) : Object.fromEntries(url.searchParams);
		const json = (v: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
		const path = url.pathname.replace(/^\/(ajax-)?api\/2\.0\/mlflow\//, '');
		switch (path) {
			case 'experiments/search': {
				const p = page(q.experiments('all'), params, 1000);
				return json({ experiments: p.items, next_page_token: p.next });
			}
			case 'runs/search': {
				if (req.method !== 'POST') return void res.writeHead(405).end();
				const p = page(q.runs({ experimentIds: params.experiment_ids as string[], view: 'all' }), params, options.pageSize ?? 1000);
				return json({ runs: p.items, next_page_token: p.next });
			}
			case 'metrics/get-history': {
				const s = q.metricHistory(String(params.run_id), String(params.metric_key));
				const points = s
					? Array.from(s.values, (v, i) => ({
							key: params.metric_key,
							value: Number.isNaN(v) ? 'NaN' : v,
							timestamp: s.timestamps[i],
							step: s.steps[i]
						}))
					: [];
				const p = page(points, params, options.pageSize ?? 25000);
				return json({ metrics: p.items, next_page_token: p.next });
			}
			case 'artifacts/list': {
				// One level of the run's tree under `path`, as MLflow lists it.
				const files = options.artifacts?.[String(params.run_id)] ?? {};
				const prefix = params.path ? `${params.path}/` : '';
				const level = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
				for (const [p, b] of Object.entries(files)) {
					if (!p.startsWith(prefix)) continue;
					const rest = p.slice(prefix.length);
					const slash = rest.indexOf('/');
					if (slash < 0) level.set(p, { path: p, is_dir: false, file_size: b.length });
					else level.set(prefix + rest.slice(0, slash), { path: prefix + rest.slice(0, slash), is_dir: true });
				}
				return json({ root_uri: `mlflow-artifacts:/${params.run_id}`, files: [...level.values()] });
			}
			case 'registered-models/search': {
				const p = page(q.registeredModels(), params, 1000);
				return json({ registered_models: p.items, next_page_token: p.next });
			}
			case 'model-versions/search': {
				const p = page(q.modelVersions(), params, 10000);
				return json({ model_versions: p.items, next_page_token: p.next });
			}
		}
		res.writeHead(404).end(`no endpoint ${url.pathname}`);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise((r) => server.close(() => r()))
	};
}
