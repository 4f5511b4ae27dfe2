import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { holdsDatabase, pgliteTemplate, pgliteTemplatePath } from './pglite-template';

describe('PGlite template', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'aether-pglite-template-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is built once for concurrent starters, and a new data directory unpacked from it is a working database', async () => {
    const file = pgliteTemplatePath(root);
    const [first, second] = await Promise.all([pgliteTemplate(file), pgliteTemplate(file)]);
    expect(first?.size).toBeGreaterThan(0);
    expect(second?.size).toBe(first?.size);
    // Only the template is left: no lock, no partial file.
    expect(readdirSync(root)).toEqual([path.basename(file)]);

    const dataDir = path.join(root, 'gateway', 'pglite');
    expect(holdsDatabase(dataDir)).toBe(false);
    mkdirSync(dataDir, { recursive: true });
    const db = new PGlite(dataDir, { loadDataDir: first });
    await db.exec('CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$);');
    await db.close();
    expect(holdsDatabase(dataDir)).toBe(true);

    const reopened = new PGlite(dataDir);
    expect((await reopened.query<{ body: string }>('SELECT body FROM notes')).rows).toEqual([{ body: 'kept' }]);
    await reopened.close();
    // initdb plus three PGlite starts: seconds of WebAssembly on a loaded CI machine.
  }, 60_000);

  it('gives up (undefined: the caller runs initdb itself) while another live process holds the lock', async () => {
    const file = pgliteTemplatePath(root);
    writeFileSync(`${file}.lock`, String(process.pid));
    await expect(pgliteTemplate(file, 300)).resolves.toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });
});
