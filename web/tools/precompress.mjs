// Writes name.br and name.gz next to every text file of a built directory, so that the server
// (src/http/static_files.cpp) or nginx's gzip_static sends them without compressing per
// request. Node's zlib has both: brotli at its best quality, gzip at level 9 — slow, once per
// build. A copy no smaller than the file is not written (the server then sends the file).
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Extensions worth compressing: text. Images and fonts are compressed already. */
export const TEXT_FILE = /\.(?:html?|m?js|css|json|map|svg|txt|xml|webmanifest)$/i;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses every text file under `dir`; returns what it wrote ({file, br, gz} sizes). */
export async function precompressDir(dir) {
  const written = [];
  for await (const file of files(dir)) {
    if (!TEXT_FILE.test(file)) continue;
    const data = await readFile(file);
    const br = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(data, { level: 9 });
    const out = { file: path.relative(dir, file), size: data.length, br: 0, gz: 0 };
    // Written after the file, so never older than it (the server ignores older copies).
    if (br.length < data.length) await writeFile(file + '.br', br), (out.br = br.length);
    if (gz.length < data.length) await writeFile(file + '.gz', gz), (out.gz = gz.length);
    written.push(out);
  }
  return written;
}

/** The Vite plugin: compresses the output directory once the bundle is written. */
export function precompress() {
  let outDir = 'dist';
  return {
    name: 'tinhso-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await stat(outDir);
      await precompressDir(outDir);
    },
  };
}
