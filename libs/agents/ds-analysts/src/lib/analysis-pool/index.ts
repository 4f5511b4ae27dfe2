export * from './analysis-pool';
