/**
 * A plain static file server (loopback only) that mounts a folder under any sub-path, as a static
 * host would, with byte ranges when asked (GitHub Pages, S3 and nginx serve them). Counts the
 * bytes it sends.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
	'.html': 'text/html',
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.json': 'application/json',
	'.png': 'image/png'
};

export interface StaticServer {
	url: string;
	/** Bytes sent for paths ending with this suffix. */
	sent(suffix: string): number;
	close(): Promise<void>;
}

/** The rules of a `_headers` file (Netlify / Cloudflare Pages syntax): path pattern -> headers. */
function readHeadersFile(root: string): [RegExp, [string, string][]][] {
	let text: string;
	try {
		text = readFileSync(join(root, '_headers'), 'utf8');
	} catch {
		return [];
	}
	const rules: [RegExp, [string, string][]][] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		if (!/^\s/.test(line))
			rules.push([
				new RegExp(
					'^' +
						line
							.trim()
							.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
							.replace(/\*/g, '.*') +
						'$'
				),
				[]
			]);
		else {
			const at = line.indexOf(':');
			rules[rules.length - 1][1].push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
		}
	}
	return rules;
}

export async function serveStatic(
	root: string,
	mount: string,
	options: { ranges?: boolean; headersFile?: boolean } = {}
): Promise<StaticServer> {
	const sent = new Map<string, number>();
	const rules = options.headersFile ? readHeadersFile(root) : [];
	const server: Server = createServer(async (req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		// Open to any origin, as public static hosts are: a snapshot may be opened from another site.
		res.setHeader('access-control-allow-origin', '*');
		res.setHeader('access-control-allow-headers', 'range');
		res.setHeader('access-control-expose-headers', 'content-range, content-length');
		if (req.method === 'OPTIONS') return void res.writeHead(204).end();
		if (!path.startsWith(mount)) return void res.writeHead(404).end('not found');
		let file = join(root, normalize(path.slice(mount.length)).replace(/^(\.\.[/\\])+/, ''));
		try {
			if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
			let body: Uint8Array = await readFile(file);
			const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
			const sitePath = '/' + path.slice(mount.length);
			for (const [pattern, hs] of rules) if (pattern.test(sitePath)) for (const [k, v] of hs) headers[k.toLowerCase()] = v;
			const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
			let status = 200;
			if (options.ranges && range) {
				const start = Number(range[1]);
				const end = Math.min(body.length - 1, range[2] ? Number(range[2]) : body.length - 1);
				headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
				body = body.subarray(start, end + 1);
				status = 206;
			}
			sent.set(path, (sent.get(path) ?? 0) + body.length);
			res.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
		} catch {
			res.writeHead(404).end('not found');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}${mount}`,
		sent: (suffix) => [...sent].filter(([p]) => p.endsWith(suffix)).reduce((n, [, b]) => n + b, 0),
		close: () => new Promise((r) => server.close(() => r()))
	};
}
