/** A plain static file server (loopback only) that mounts the built site under any sub-path. */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
	'.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
	'.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png'
};

export async function serveStatic(root: string, mount: string): Promise<{ url: string; close(): Promise<void> }> {
	const server: Server = createServer(async (req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		if (!path.startsWith(mount)) return void res.writeHead(404).end('not found');
		let file = join(root, normalize(path.slice(mount.length)).replace(/^(\.\.[/\\])+/, ''));
		try {
			if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
			const body = await readFile(file);
			res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
		} catch {
			res.writeHead(404).end('not found');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return { url: `http://127.0.0.1:${port}${mount}`, close: () => new Promise((r) => server.close(() => r())) };
}
