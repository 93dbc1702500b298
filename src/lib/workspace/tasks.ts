/**
 * The workspace's heavier code, loaded on first use: imports (and their zip and YAML readers),
 * exports, snapshots and pulls. A page only needs the store's queries, and parsing these modules
 * with the rest made the worker start ~15 ms later on every cold page load. The import panel asks
 * for it ahead (`warmUp`); other pages load it on first use.
 */
export { importTree, openFile } from '../importers';
export { blobReader, treeFromFiles, treeFromMap } from '../sources/tree';
export { demoFileStore } from '../demo/generate';
export { exportFile } from '../export';
export { openSnapshot } from '../snapshot/open';
export { buildSnapshot, writeSnapshot } from '../snapshot/build';
export { snapshotAsFileStore } from '../snapshot/copy';
export { httpReader, snapshotUrl } from '../sources/http';
export { MlflowClient } from '../remote/client';
export { listExperiments, newPullState, pull } from '../remote/pull';
