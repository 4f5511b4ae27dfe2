// Worker-thread entry (bundled to dist/apps/<app>/workers/behavioral-analysis.js): each export is a
// task `AnalysisPool.run('behavioral-analysis', <export name>, input)` can call.
export { analyseBehavior } from './behavioral-analysis.task';
