/**
 * The store worker's heavier work, loaded on first use: imports (and their zip and YAML readers),
 * exports, snapshots and pulls. A page only needs the store's queries, and parsing these modules
 * with the rest made the worker start ~15 ms later on every cold page load. The import panel asks
 * the worker to load it ahead (`warmUp`); other pages load it on first use.
 */
export { importTree, openFile } from '../lib/importers';
export { blobReader, treeFromFiles, treeFromMap } from '../lib/sources/tree';
export { demoFileStore } from '../lib/demo/generate';
export { exportFile } from '../lib/export';
export { openSnapshot } from '../lib/snapshot/open';
export { buildSnapshot } from '../lib/snapshot/build';
export { snapshotAsFileStore } from '../lib/snapshot/copy';
export { httpReader, snapshotUrl } from '../lib/sources/http';
export { MlflowClient } from '../lib/remote/client';
export { listExperiments, newPullState, pull } from '../lib/remote/pull';
