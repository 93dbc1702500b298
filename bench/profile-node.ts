// Breaks an import into its stages in Node (same code as the worker): npx tsx bench/profile-node.ts bench/out/M.zip
import { sqlJsNode } from '../src/cli/sqljs-node';
import { Store } from '../src/lib/db/store';
import { importTree } from '../src/lib/importers';
import { openPath } from '../src/cli/node-sources';
const SQL = await sqlJsNode();
let t = performance.now();
const tree = await openPath(process.argv[2]);
console.log('directory', Math.round(performance.now() - t), 'ms', tree.files.length, 'files');
t = performance.now();
if (!process.env.SKIP_READ) for (const f of tree.files.slice().sort((a, b) => a.order - b.order)) await f.bytes();
console.log('read all', Math.round(performance.now() - t), 'ms');
const store = Store.open(SQL);
t = performance.now();
await importTree(SQL, store, tree);
console.log('import', Math.round(performance.now() - t), 'ms');
t = performance.now(); const img = store.export(); console.log('export', Math.round(performance.now() - t), 'ms', img.length);
if (process.env.SAVE_IMAGE) (await import('node:fs')).writeFileSync(process.env.SAVE_IMAGE, img);
