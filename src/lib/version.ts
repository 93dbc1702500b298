/** Trackside's version, written into snapshots (a spec keeps it equal to package.json's). */
export const TRACKSIDE_VERSION = '0.1.0';
