import { jest } from '@jest/globals';

// Starting real processes takes seconds; `testTimeout` is a global-only Jest option, so the e2e
// project sets its own here.
jest.setTimeout(60_000);
