import { rmSync } from 'node:fs';
import { afterAll, beforeAll, jest } from '@jest/globals';
import { sharedPgliteTemplate } from '@aether/persistence/testing';
import { E2E_DATA_DIRS } from './gateway-client';

// Starting real processes takes seconds; `testTimeout` is a global-only Jest option, so the e2e
// project sets its own here.
jest.setTimeout(60_000);

// Before any stack of the file starts: the empty-database template its fresh data dirs get a copy of.
beforeAll(async () => {
  await sharedPgliteTemplate();
});

afterAll(() => {
  for (const dir of E2E_DATA_DIRS.splice(0)) rmSync(dir, { recursive: true, force: true });
});
