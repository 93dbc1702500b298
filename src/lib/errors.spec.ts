import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import './errors-transfer';
import { UserError, errorKind } from './errors';
import { RemoteError } from './remote/client';
import { SearchError } from './search/parse';

describe('errors across the worker boundary (Comlink over a MessageChannel)', () => {
	it('keep their kind and details; other errors keep their message', async () => {
		const { port1, port2 } = new MessageChannel();
		Comlink.expose(
			{
				remote: () => {
					throw new RemoteError('refused (401, not signed in)', 'auth', 401);
				},
				search: () => {
					throw new SearchError('Invalid clause', 4, 9);
				},
				plain: () => {
					throw new TypeError('boom');
				}
			},
			port1
		);
		const api = Comlink.wrap<{ remote(): void; search(): void; plain(): void }>(port2);
		const remote = await api.remote().catch((e: unknown) => e);
		expect(remote).toBeInstanceOf(UserError);
		expect(errorKind(remote)).toBe('remote');
		expect((remote as UserError).details).toEqual({ reason: 'auth', status: 401 });
		expect((remote as Error).message).toBe('refused (401, not signed in)');
		const search = (await api.search().catch((e: unknown) => e)) as UserError;
		expect([search.kind, search.details]).toEqual(['search', { start: 4, end: 9, field: 'filter' }]);
		const plain = (await api.plain().catch((e: unknown) => e)) as Error;
		expect(plain).not.toBeInstanceOf(UserError);
		expect([plain.name, plain.message]).toEqual(['TypeError', 'boom']);
		port1.close();
		port2.close();
	});
});
