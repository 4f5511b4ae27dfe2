/** Test helpers around the contracts of `@aether/core` (import from `@aether/core/testing`). */
export { recordSpans, type RecordedSpans } from './testing/recorded-spans';
