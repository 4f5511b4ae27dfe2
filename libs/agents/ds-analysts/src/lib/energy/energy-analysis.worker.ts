// Worker-thread entry (bundled to dist/apps/<app>/workers/energy-analysis.js): each export is a
// task `AnalysisPool.run('energy-analysis', <export name>, input)` can call.
export { analyseEnergyHistory } from './energy-analysis.task';
