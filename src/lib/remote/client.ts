/**
 * A small client for an MLflow tracking server's REST API (`/api/2.0/mlflow/...`): auth, a rate
 * limit, retries with backoff for what is worth retrying (5xx, 429, dropped connections), paging,
 * and errors that say what to do, CORS above all: a browser page on another origin can only read
 * a server that allows it, and `fetch` then fails with no status to tell why.
 */
import { UserError } from '../errors';
import { readLimited } from '../sources/bytes';

export type Auth = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'basic'; user: string; password: string };

export interface ClientOptions {
	url: string;
	auth?: Auth;
	/** Requests per second at most (a shared server should not feel the pull). */
	rate?: number;
	retries?: number;
	/** The origin of this page, for the CORS advice (location.origin in the browser). */
	origin?: string;
	fetch?: typeof fetch;
	/** Waits between retries; injectable so tests do not sleep. */
	sleep?: (ms: number) => Promise<void>;
	/** A request silent this long is given up (default 60 s). */
	timeoutMs?: number;
	/** The largest answer read (default 256 MB): a server is untrusted input. */
	maxResponseBytes?: number;
	/** The most pages one paged call follows (default 100,000). */
	maxPages?: number;
	/** Set `cancelled` to stop: the request under way is aborted at once. */
	cancel?: { cancelled: boolean };
}

const TIMEOUT_MS = 60_000;
const MAX_RESPONSE_BYTES = 256 * 2 ** 20;
const MAX_PAGES = 100_000;

/** A tracking server's failure; `reason` says which (the page advises by it, never by the text). */
export class RemoteError extends UserError {
	constructor(
		message: string,
		readonly reason: 'cors' | 'auth' | 'http' | 'network' | 'not-mlflow' | 'limit' | 'cancelled',
		readonly status?: number
	) {
		super(message, reason === 'cancelled' ? 'cancelled' : 'remote', { reason, status });
	}
}

export function corsAdvice(url: string, origin: string): string {
	return (
		`The browser could not read ${url}. Most often the server does not allow this page's origin (${origin}) to call it (CORS), ` +
		`or it is not reachable. On MLflow 3.5 or later, start the server with: mlflow server --cors-allowed-origins "${origin}" ` +
		`(or set MLFLOW_SERVER_CORS_ALLOWED_ORIGINS="${origin}"). Older servers need a reverse proxy that adds Access-Control-Allow-Origin, ` +
		`or the mlflow-cors plugin. A page served over https cannot call an http:// server either (mixed content).`
	);
}

export class MlflowClient {
	private readonly base: string;
	private last = 0;
	private readonly doFetch: typeof fetch;
	private readonly sleep: (ms: number) => Promise<void>;
	requests = 0;

	constructor(private options: ClientOptions) {
		this.base = options.url.replace(/\/+$/, '');
		this.doFetch = options.fetch ?? ((...a) => fetch(...a));
		this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
	}

	private headers(json: boolean): Record<string, string> {
		const h: Record<string, string> = json ? { 'Content-Type': 'application/json' } : {};
		const a = this.options.auth;
		if (a?.kind === 'token') h.Authorization = `Bearer ${a.token}`;
		if (a?.kind === 'basic') h.Authorization = `Basic ${btoa(`${a.user}:${a.password}`)}`;
		return h;
	}

	/** One call: GET with query parameters, or POST with a JSON body. */
	async call<T>(method: 'GET' | 'POST', path: string, params: Record<string, unknown>): Promise<T> {
		const url = new URL(`${this.base}/api/2.0/mlflow/${path}`);
		if (method === 'GET') setQuery(url, params);
		const res = await this.request(url, method, method === 'POST' ? JSON.stringify(params) : undefined);
		const text = new TextDecoder().decode(await this.body(res.res, url, res.done, res.alive));
		try {
			return (text ? JSON.parse(text) : {}) as T;
		} catch {
			throw new RemoteError(
				`${url.pathname} did not answer with JSON: is ${this.base} an MLflow tracking server?`,
				'not-mlflow',
				res.res.status
			);
		}
	}

	/** A run's artifact file, through the route MLflow's own UI downloads from. */
	async artifact(runId: string, path: string): Promise<Uint8Array> {
		const url = new URL(`${this.base}/get-artifact`);
		setQuery(url, { path, run_uuid: runId });
		const r = await this.request(url, 'GET');
		return this.body(r.res, url, r.done, r.alive);
	}

	/** Cancels through `cancel` from now on (a pull's cancel flag). */
	useCancel(cancel: { cancelled: boolean }): void {
		this.options.cancel = cancel;
	}

	private checkCancel(): void {
		if (this.options.cancel?.cancelled) throw new RemoteError('Cancelled', 'cancelled');
	}

	/**
	 * A fetch that gives up when the server is silent for the timeout and stops at once on cancel.
	 * `alive` resets the timer (each chunk read); `done` ends the watch.
	 */
	private watched(url: URL, init: RequestInit) {
		const abort = new AbortController();
		const timeoutMs = this.options.timeoutMs ?? TIMEOUT_MS;
		let why: RemoteError | undefined;
		let last = Date.now();
		const tick = setInterval(
			() => {
				if (this.options.cancel?.cancelled) why = new RemoteError('Cancelled', 'cancelled');
				else if (Date.now() - last > timeoutMs)
					why = new RemoteError(`${this.base} sent nothing for ${Math.round(timeoutMs / 1000)} s on ${url.pathname}; gave up`, 'network');
				if (why) abort.abort(why);
			},
			Math.min(250, timeoutMs)
		);
		const done = () => clearInterval(tick);
		return {
			promise: this.doFetch(url, { ...init, signal: abort.signal }).catch((e) => {
				done();
				throw why ?? e;
			}),
			alive: () => (last = Date.now()),
			done,
			why: () => why
		};
	}

	/** An answer's bytes, bounded by maxResponseBytes (checked as they arrive, not after). */
	private async body(res: Response, url: URL, done: () => void, alive?: () => void): Promise<Uint8Array> {
		const max = this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
		const tooLarge = () =>
			new RemoteError(
				`${this.base} answered ${url.pathname} with more than ${Math.round(max / 2 ** 20)} MB; refused (a server's answer is read whole into memory)`,
				'limit'
			);
		try {
			if (Number(res.headers.get('Content-Length') ?? 0) > max) {
				await res.body?.cancel().catch(() => {});
				throw tooLarge();
			}
			if (!res.body) return new Uint8Array(await res.arrayBuffer());
			return await readLimited(res.body, max, tooLarge, () => alive?.());
		} finally {
			done();
		}
	}

	/** A request with the rate limit, retries and MLflow-aware errors; resolves with an OK response. */
	private async request(url: URL, method: 'GET' | 'POST', body?: string): Promise<{ res: Response; done: () => void; alive: () => void }> {
		const retries = this.options.retries ?? 4;
		for (let attempt = 0; ; attempt++) {
			this.checkCancel();
			const gap = 1000 / (this.options.rate ?? 50);
			const wait = this.last + gap - Date.now();
			if (wait > 0) await this.sleep(wait);
			this.last = Date.now();
			this.requests++;
			let res: Response;
			const call = this.watched(url, { method, headers: this.headers(method === 'POST'), body });
			try {
				res = await call.promise;
			} catch (e) {
				// Cancelled, or silent past the timeout: not worth another wait.
				if (e instanceof RemoteError) throw e;
				// No response at all: CORS refusal, DNS, refused or dropped connection. Retried in case
				// the connection dropped; a CORS refusal fails the same way every time.
				if (attempt < retries) {
					await this.sleep(backoff(attempt));
					continue;
				}
				throw new RemoteError(corsAdvice(this.base, this.options.origin ?? '(this page)'), attempt === 0 ? 'network' : 'cors');
			}
			if (res.ok) return { res, done: call.done, alive: call.alive };
			call.done();
			if (res.status === 401 || res.status === 403) {
				const detail = await res.text().catch(() => '');
				throw new RemoteError(
					`${this.base} refused the request (${res.status}${res.status === 401 ? ', not signed in' : ', forbidden'}). Check the token or user and password.${
						res.status === 403 && method === 'POST'
							? ` MLflow 3.5+ also answers 403 to cross-origin POSTs unless started with --cors-allowed-origins "${this.options.origin ?? ''}".`
							: ''
					}${detail ? ` Server said: ${detail.slice(0, 200)}` : ''}`,
					'auth',
					res.status
				);
			}
			if (res.status === 404) {
				throw new RemoteError(
					`${url.pathname} was not found on ${this.base}: is it an MLflow tracking server (the URL without /api/...)?`,
					'not-mlflow',
					404
				);
			}
			if ((res.status >= 500 || res.status === 429) && attempt < retries) {
				await this.sleep(backoff(attempt));
				continue;
			}
			throw new RemoteError(
				`${this.base} answered ${res.status} to ${url.pathname}: ${(await res.text().catch(() => '')).slice(0, 300)}`,
				'http',
				res.status
			);
		}
	}

	/** Every page of a paged call, concatenating `key`. */
	async all<T>(
		method: 'GET' | 'POST',
		path: string,
		params: Record<string, unknown>,
		key: string,
		onPage?: (n: number) => void
	): Promise<T[]> {
		const out: T[] = [];
		const seen = new Set<string>();
		const maxPages = this.options.maxPages ?? MAX_PAGES;
		let token: string | undefined;
		for (let pages = 0; ; pages++) {
			this.checkCancel();
			if (pages >= maxPages)
				throw new RemoteError(`${this.base} kept paging ${path} past ${maxPages.toLocaleString('en-US')} pages; stopped`, 'limit');
			const page = await this.call<Record<string, unknown>>(method, path, { ...params, page_token: token });
			const items = page[key];
			// A loop, not push(...items): a page of 100,000s of items overflows the call stack.
			if (Array.isArray(items)) for (const item of items) out.push(item as T);
			token = (page.next_page_token as string | undefined) || undefined;
			onPage?.(out.length);
			if (!token) return out;
			if (seen.has(token))
				throw new RemoteError(`${this.base} answered ${path} with a page token it gave before; stopped (it would page forever)`, 'limit');
			seen.add(token);
		}
	}
}

function setQuery(url: URL, params: Record<string, unknown>): void {
	for (const [k, v] of Object.entries(params)) {
		if (v === undefined) continue;
		for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(x));
	}
}

function backoff(attempt: number): number {
	return Math.min(8000, 250 * 2 ** attempt);
}
