// node --test (ctest WebBundleBudget), after the build: what each page downloads before it can
// show anything. On a rural 3G line (400 kbit/s) every 50 KB is a second.
//   TINHSO_WEB_DIST=… (default web/dist)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.TINHSO_WEB_DIST ?? path.join(web, 'dist');
// ECharts' own names, found in its code and nowhere else.
const ECHARTS = /__ec_|ECharts/;
// The home page's JavaScript, gzip-compressed (100.6 KB when this budget was set).
const HOME_JS_GZIP_BUDGET = 105 * 1024;

const read = (rel) => readFileSync(path.join(dist, rel));

/** The chunk and every chunk it imports statically (not `import()`), as dist-relative paths. */
function closure(entry) {
  const seen = new Set();
  const walk = (rel) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const code = read(rel).toString();
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*"(\.\/[^"]+\.js)"/g)) {
      walk(path.posix.join(path.posix.dirname(rel), m[1]));
    }
  };
  walk(entry);
  return [...seen];
}

/** The scripts index.html loads at once (entry modules and their modulepreloads). */
function homeScripts() {
  const html = read('index.html').toString();
  const entries = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  return [...new Set(entries.flatMap(closure))];
}

const scripts = () => readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));

function chunk(prefix) {
  const hit = scripts().find((f) => f.startsWith(prefix));
  assert.ok(hit, `no ${prefix}*.js in ${dist}/assets`);
  return 'assets/' + hit;
}

const skip = !existsSync(path.join(dist, 'index.html')) && 'web/dist is not built';

test('the home page loads no chart code and stays within its budget', { skip }, () => {
  const files = homeScripts();
  for (const f of files) assert.ok(!ECHARTS.test(read(f).toString()), `${f} holds ECharts`);
  const raw = files.reduce((n, f) => n + read(f).length, 0);
  const gz = files.reduce((n, f) => n + gzipSync(read(f), { level: 9 }).length, 0);
  const br = files.reduce((n, f) => n + brotliCompressSync(read(f)).length, 0);
  console.log(`home JS: ${files.join(', ')}: ${raw} B, gzip ${gz} B, brotli ${br} B`);
  assert.ok(gz <= HOME_JS_GZIP_BUDGET, `home JS is ${gz} B gzipped, budget ${HOME_JS_GZIP_BUDGET}`);
});

test('the dashboard shows its figures before ECharts arrives', { skip }, () => {
  const files = closure(chunk('Dashboard-'));
  for (const f of files) assert.ok(!ECHARTS.test(read(f).toString()), `${f} holds ECharts`);
  const charts = scripts().filter((f) => ECHARTS.test(read('assets/' + f).toString()));
  assert.equal(charts.length, 1, 'ECharts is one chunk of its own');
});

test('the administration pages show the gateway\'s log before ECharts arrives', { skip }, () => {
  for (const f of closure(chunk('Admin-'))) assert.ok(!ECHARTS.test(read(f).toString()), `${f} holds ECharts`);
});
test('each page group is a chunk of its own', { skip }, () => {
  const home = new Set(homeScripts());
  for (const page of ['Procedure-', 'Lookup-', 'Workspace-', 'OfficerDossier-', 'Dashboard-', 'Admin-']) {
    assert.ok(!home.has(chunk(page)), `${page} is loaded by the home page`);
  }
});
