// Worker-thread entry (bundled to dist/apps/<app>/workers/energy-analysis.js): each export is a
// task `AnalysisPool.run('energy-analysis', <export name>, input)` can call.
export { computeEnergyReport } from './energy-analysis.task';
