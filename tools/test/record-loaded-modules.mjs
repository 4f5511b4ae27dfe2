// Preloaded with `node --import` (through NODE_OPTIONS) by the process-footprint e2e test: appends
// the URL of every module the process loads — ours and npm's, by import or require — to
// `$AETHER_LOADED_MODULES_DIR/<pid>.txt`, so the test can tell what a service really carries.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';

const dir = process.env.AETHER_LOADED_MODULES_DIR;
if (dir) {
  const file = path.join(dir, `${process.pid}.txt`);
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(file, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
