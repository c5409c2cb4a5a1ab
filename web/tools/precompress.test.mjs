// node --test (ctest WebPrecompress): the build writes .br and .gz copies of its text files.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { loadConfigFromFile } from 'vite';
import { precompressDir } from './precompress.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('every text file gets a brotli and a gzip copy that decompress to it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'precompress-'));
  try {
    await mkdir(path.join(dir, 'assets'));
    const js = 'export const thuTuc = "Đăng ký khai sinh";\n'.repeat(200);
    await writeFile(path.join(dir, 'assets', 'index-abc.js'), js);
    await writeFile(path.join(dir, 'index.html'), '<!doctype html>' + '<p>Cổng dịch vụ công</p>'.repeat(50));
    await writeFile(path.join(dir, 'logo.png'), Buffer.alloc(4096, 7));
    await writeFile(path.join(dir, 'tiny.txt'), 'x');
    await precompressDir(dir);

    const js_path = path.join(dir, 'assets', 'index-abc.js');
    assert.equal(brotliDecompressSync(await readFile(js_path + '.br')).toString(), js);
    assert.equal(gunzipSync(await readFile(js_path + '.gz')).toString(), js);
    assert.ok((await readFile(js_path + '.br')).length < js.length / 10);
    const names = (await readdir(dir)).sort();
    assert.deepEqual(names, ['assets', 'index.html', 'index.html.br', 'index.html.gz', 'logo.png', 'tiny.txt'],
      'images are left alone, and a copy no smaller than its file is not written');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the Vite build runs it', async () => {
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, path.join(web, 'vite.config.ts'), web);
  const names = (loaded?.config.plugins ?? []).flat(Infinity).map((p) => p && p.name);
  assert.ok(names.includes('tinhso-precompress'), names.join(', '));
});
