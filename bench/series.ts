/**
 * Prints one metric's history for every run of a benchmark archive as JSON ({run id: {steps,
 * values}}), read through the same importer and store as the app: bench/compare.mjs draws these
 * exact points with plain uPlot, undecimated, as the baseline of the comparison charts.
 */
import { sqlJsNode } from '../src/cli/sqljs-node';
import { Store } from '../src/lib/db/store';
import { importTree } from '../src/lib/importers';
import { openPath } from '../src/cli/node-sources';

const [archive, key] = process.argv.slice(2);
const SQL = await sqlJsNode();
const store = Store.open(SQL);
const tree = await openPath(archive);
await importTree(SQL, store, tree, { now: 0 });
await tree.close?.();
const ids = store.queries.searchRunIds({ experimentIds: ['1'] });
const series = store.queries.metricSeries(ids, key);
const out: Record<string, { steps: number[]; values: number[] }> = {};
for (const id of ids) out[id] = { steps: Array.from(series[id].steps), values: Array.from(series[id].values) };
process.stdout.write(JSON.stringify(out));
