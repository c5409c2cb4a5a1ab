// Shared harness of the browser tests (web/e2e/*.mjs), each run as its own process by ctest:
// a fresh tinhso server on a free loopback port (temporary SQLite database, or a fresh database
// on the PostgreSQL server named by TINHSO_TEST_PG_URL), Debian's Chromium through
// playwright-core, sign-in, screenshots, page checks, and cleanup even on failure. Every API
// response a page receives is checked against the OpenAPI document (contract.mjs).
//
// Environment:
//   TINHSO_BINARY       the server binary (default <root>/build/tinhso)
//   TINHSO_SCREENSHOTS  where screenshots go (default <root>/build/screenshots)
//   TINHSO_TEST_PG_URL  postgresql://…/postgres of a throw-away server (for --backend postgres)
//   TINHSO_CHROMIUM     the browser (default /usr/bin/chromium)
//   TINHSO_E2E_FILES    where the real-size test files are made once and kept (default
//                       e2e-files/ beside the server binary)
//   E2E_KEEP=1          keep the temporary directory (database, server log) for debugging
import { chromium } from 'playwright-core';
import { makeContract } from './contract.mjs';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WEB, '..');
export const BINARY = process.env.TINHSO_BINARY || path.join(ROOT, 'build', 'tinhso');
export const SHOTS = path.resolve(process.env.TINHSO_SCREENSHOTS || path.join(ROOT, 'build', 'screenshots'));
export const CHROMIUM = process.env.TINHSO_CHROMIUM || '/usr/bin/chromium';
export const FILES_CACHE = path.resolve(process.env.TINHSO_E2E_FILES || path.join(path.dirname(BINARY), 'e2e-files'));
export const PASSWORD = 'demo-tinhso-2026';
export const SKIP_CODE = 77;
/**
 * The whole test must end before ctest's own timeout (300 s by default) so that cleanup still
 * runs; E2E_DEADLINE_MS overrides it (keep it below the test's TIMEOUT).
 */
const DEADLINE_MS = Number(process.env.E2E_DEADLINE_MS || 270_000);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing may leave the machine: every host but the loopback fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

// ---------------------------------------------------------------------------------------------
// Logging and failure

const t0 = Date.now();
let testName = path.basename(process.argv[1] ?? 'e2e', '.mjs');
let currentStep = 'start';
export function setTestName(n) {
  testName = n;
}
export function log(...a) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
}
/** Names the step being run: failure messages and fail-*.png screenshots carry it. */
export function step(name) {
  currentStep = name;
  log('step:', name);
}

export class TestFailure extends Error {}
export function check(cond, message) {
  if (!cond) throw new TestFailure(`${message} (step: ${currentStep})`);
}
export function checkEq(actual, expected, what) {
  check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started registers an undo; they run in reverse order, once.

const undo = [];
let cleaned = false;
export function onCleanup(fn) {
  undo.push(fn);
}
export async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  while (undo.length) {
    const fn = undo.pop();
    try {
      await fn();
    } catch (e) {
      console.error('cleanup:', e?.message ?? e);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`FAIL ${testName}: interrupted by ${sig}`);
    cleanup().finally(() => process.exit(1));
  });
}

/** Pages that are open, for the fail-*.png screenshots. */
const livePages = new Set();

/**
 * Runs the test body: prints "PASS name" and exits 0, or prints the failure, saves a
 * fail-*.png of each open page, the server log's tail, and exits 1. Exit 77 = skipped.
 */
export async function run(name, body, { deadlineMs = DEADLINE_MS } = {}) {
  setTestName(name);
  // Failure screenshots of an earlier run of this test would mislead.
  try {
    for (const f of fs.readdirSync(SHOTS)) if (f.startsWith(`fail-${name}-`)) fs.rmSync(path.join(SHOTS, f));
  } catch {
    /* no directory yet */
  }
  const timer = setTimeout(() => {
    console.error(`FAIL ${name}: did not finish within ${deadlineMs / 1000} s (step: ${currentStep})`);
    failureArtifacts().finally(() => cleanup().finally(() => process.exit(1)));
  }, deadlineMs);
  let code = 0;
  try {
    await body();
    await contractSettled();
    check(contractFailures.length === 0, `API responses that do not match the OpenAPI document:\n    ${contractFailures.join('\n    ')}`);
    log(`PASS ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    if (e instanceof SkipTest) {
      console.log(`SKIPPED ${name}: ${e.message}`);
      code = SKIP_CODE;
    } else {
      code = 1;
      console.error(`FAIL ${name}: ${e instanceof TestFailure ? e.message : (e?.stack ?? e)}`);
      if (!(e instanceof TestFailure)) console.error(`  (step: ${currentStep})`);
      await failureArtifacts();
    }
  } finally {
    clearTimeout(timer);
    if (apiContract) log(apiContract.summary() + (unreadBodies.length ? `; not readable any more: ${unreadBodies.join(', ')}` : ''));
    await cleanup();
  }
  process.exit(code);
}

async function failureArtifacts() {
  let i = 0;
  for (const p of livePages) {
    const file = path.join(SHOTS, `fail-${testName}-${currentStep.replace(/[^a-z0-9]+/gi, '-')}${i++ ? `-${i}` : ''}.png`);
    try {
      fs.mkdirSync(SHOTS, { recursive: true });
      await p.screenshot({ path: file, fullPage: true, timeout: 10_000 });
      console.error(`  screenshot: ${file} (${p.url()})`);
    } catch {
      /* the page may be gone */
    }
  }
  for (const s of servers) s.printLogTail();
}

export class SkipTest extends Error {}

// ---------------------------------------------------------------------------------------------
// Arguments

/** --key value pairs with defaults; unknown keys fail. */
export function args(defaults) {
  const out = { ...defaults };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a[i]);
    if (!m || !(m[1] in defaults)) {
      console.error(`unknown argument ${a[i]}; known: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')}`);
      process.exit(2);
    }
    out[m[1]] = m[2] ?? a[++i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The server

const servers = [];

/** A port free on 127.0.0.1 when asked (another process may take it before it is bound). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function runTool(cmd, argv, opts = {}) {
  let r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000, ...opts });
  // The binary is being relinked by a build running beside the test: wait for it, briefly.
  for (let i = 0; i < 60 && ['EACCES', 'ETXTBSY'].includes(r.error?.code); i++) {
    if (i === 0) log(`${cmd} is being rebuilt (${r.error.code}), waiting`);
    spawnSync('sleep', ['1']);
    r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000, ...opts });
  }
  if (r.error) throw new Error(`${cmd} ${argv.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A database for one test: a temporary SQLite file, or a fresh database on TINHSO_TEST_PG_URL. */
function makeDatabase(backend, tmp) {
  if (backend === 'sqlite') return `sqlite:${path.join(tmp, 'tinhso.db')}`;
  if (backend !== 'postgres') throw new Error(`unknown backend ${backend}`);
  const admin = process.env.TINHSO_TEST_PG_URL;
  if (!admin) throw new SkipTest('TINHSO_TEST_PG_URL is not set (run under scripts/with-postgres.sh or make test)');
  const name = `e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  runTool('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  onCleanup(() => runTool('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A private copy of web/dist, so that a rebuild of the UI while the test runs (vite empties
 * dist/ first) cannot pull pages from under it. The copy must be whole: index.html and every
 * file it refers to.
 */
function copyDist(tmp) {
  const src = path.join(WEB, 'dist');
  const dst = path.join(tmp, 'dist');
  for (let attempt = 1; attempt <= 40; attempt++) {
    fs.rmSync(dst, { recursive: true, force: true });
    try {
      fs.cpSync(src, dst, { recursive: true });
      const html = fs.readFileSync(path.join(dst, 'index.html'), 'utf8');
      const refs = [...html.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((m) => m[1]);
      if (refs.length > 0 && refs.every((r) => fs.existsSync(path.join(dst, r)))) return dst;
    } catch {
      /* being rebuilt */
    }
    if (attempt === 1) log('web/dist is incomplete (being rebuilt?), waiting for it');
    spawnSync('sleep', ['0.5']); // waiting for another build to finish, not for the page
  }
  throw new Error(`${src} has no complete build: build the web UI first (npm run build)`);
}

/**
 * Starts a fresh tinhso with the demo province loaded; returns { base, url, log }.
 * `dossiers`: extra demo dossiers over the past year (so the dashboard has data).
 * `beforeServe({ db, tmp })`: runs after the demo is loaded, before the server starts (e.g.
 * CLI commands on the database); `serveArgs`: extra arguments of `tinhso serve` (e.g.
 * --config), or a function of the port it will listen on that returns them (a configuration
 * that names the server's own address); `env`: extra environment of the server.
 */
export async function startServer({ backend = 'sqlite', dossiers = 200, beforeServe, serveArgs = [], env = {} } = {}) {
  step(`start server (${backend})`);
  if (!fs.existsSync(BINARY)) throw new Error(`server binary not found: ${BINARY} (set TINHSO_BINARY)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-e2e-'));
  onCleanup(() => {
    if (process.env.E2E_KEEP === '1') console.log('kept', tmp);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });
  const dist = copyDist(tmp);
  const db = makeDatabase(backend, tmp);
  runTool(BINARY, ['migrate', '--database', db], { cwd: ROOT });
  const load = ['demo', 'load', '--database', db, '--data', path.join(ROOT, 'data')];
  if (dossiers) load.push('--dossiers', String(dossiers));
  runTool(BINARY, load, { cwd: ROOT });
  if (beforeServe) await beforeServe({ db, tmp });

  // The port is free when asked; another process may take it before the server binds it,
  // so a server that exits at once is retried on a new port.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const logFile = path.join(tmp, `server-${attempt}.log`);
    const out = fs.openSync(logFile, 'w');
    const extra = typeof serveArgs === 'function' ? serveArgs(port) : serveArgs;
    const child = spawn(BINARY, ['serve', '--database', db, '--listen', `127.0.0.1:${port}`, ...extra], {
      cwd: ROOT,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        TINHSO_STATIC_DIR: dist,
        TINHSO_RATE_PER_SECOND: '100000',
        TINHSO_RATE_BURST: '100000',
        TINHSO_DATA_DIR: path.join(ROOT, 'data'),
        TINHSO_LOOKUP_BASE_URL: `http://127.0.0.1:${port}/tra-cuu`,
        // Where outside systems send the browser back (the payment platform's simulator).
        TINHSO_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        ...env,
      },
    });
    fs.closeSync(out);
    let exited = null;
    child.on('exit', (c, s) => (exited = { c, s }));
    const server = {
      base: `http://127.0.0.1:${port}`,
      db,
      logFile,
      printLogTail() {
        try {
          const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25);
          console.error(`  server log (${logFile}), last lines:\n    ${lines.join('\n    ')}`);
        } catch {
          /* no log */
        }
      },
    };
    const stop = async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    };
    onCleanup(stop);
    servers.push(server);
    // Wait for /healthz (or for the process to die).
    const until = Date.now() + 30_000;
    while (!exited && Date.now() < until) {
      try {
        const r = await fetch(`${server.base}/healthz`);
        if (r.ok) {
          log(`server ready at ${server.base} (${backend})`);
          return server;
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50)); // polling the process, not the page
    }
    if (exited && attempt < 3) {
      servers.pop();
      log(`server exited (${JSON.stringify(exited)}), retrying on another port`);
      continue;
    }
    server.printLogTail();
    throw new Error(`server did not answer /healthz (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'})`);
  }
}

// ---------------------------------------------------------------------------------------------
// The API contract: every response under /api/ against the document the binary serves

let apiContract = null;
const contractChecks = new Set();
/** Every mismatch of the run, also put in the problems of the context that saw it. */
const contractFailures = [];
/** Responses whose body the browser had dropped when read (the page had moved on). */
const unreadBodies = [];
class BodyGone extends Error {}

function contract() {
  if (!apiContract) {
    const doc = JSON.parse(runTool(BINARY, ['openapi'], { cwd: ROOT }));
    apiContract = makeContract(doc);
  }
  return apiContract;
}

function checkResponse(res, problems) {
  const req = res.request();
  const { pathname } = new URL(res.url());
  if (!pathname.startsWith('/api/')) return;
  const p = contract()
    .check(req.method(), res.url(), res.status(), res.headers()['content-type'], () =>
      res.text().catch((e) => {
        throw new BodyGone(e.message);
      }),
    )
    .catch((e) => {
      if (e instanceof BodyGone) unreadBodies.push(`${req.method()} ${pathname} → ${res.status()}`);
      else return `${req.method()} ${pathname} → ${res.status()}: cannot check (${e.message})`;
    })
    .then((message) => {
      if (!message) return;
      contractFailures.push(message);
      problems.push(`contract: ${message}`);
    })
    .finally(() => contractChecks.delete(p));
  contractChecks.add(p);
}

/** Waits for the checks of the responses received so far. */
async function contractSettled() {
  while (contractChecks.size) await Promise.all([...contractChecks]);
}

// ---------------------------------------------------------------------------------------------
// The browser

export async function launchBrowser() {
  step('launch chromium');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  onCleanup(() => browser.close());
  return browser;
}

export const HEIGHT = { 1280: 900, 390: 844, 360: 740 };

/**
 * A fresh browser context (its own cookies and storage) of the given width and language.
 * The language is put in localStorage before any page script runs, unless `chooseLanguage`
 * is false (the test then picks it through the UI). Every page of the context is watched:
 * script errors, 5xx answers, requests leaving 127.0.0.1 and API responses that do not match
 * the OpenAPI document fail the test.
 */
export async function newContext(browser, server, { lang = 'vi', width = 1280, presetLanguage = true } = {}) {
  const ctx = await browser.newContext({
    viewport: { width, height: HEIGHT[width] ?? 900 },
    isMobile: width < 600,
    hasTouch: width < 600,
    deviceScaleFactor: 1,
    locale: lang === 'en' ? 'en-GB' : 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    baseURL: server.base,
  });
  contract(); // read the document now: reading it on the first response would delay the checks
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(20_000);
  if (presetLanguage) await ctx.addInitScript((l) => {
      try {
        localStorage.setItem('tinhso.lang', l);
      } catch {
        /* about:blank has no storage */
      }
    }, lang);
  const problems = [];
  ctx.problems = problems;
  ctx.on('request', (req) => {
    const u = req.url();
    if (!/^(https?:\/\/127\.0\.0\.1(:\d+)?\/|data:|blob:|about:)/.test(u)) problems.push(`request outside 127.0.0.1: ${u}`);
  });
  ctx.on('response', (res) => {
    checkResponse(res, problems);
    if (res.status() >= 500) problems.push(`HTTP ${res.status()} from ${res.request().method()} ${res.url()}`);
    else if (res.status() >= 400 && res.request().resourceType() === 'document') problems.push(`page ${res.url()} answered HTTP ${res.status()}`);
  });
  ctx.on('page', (p) => watchPage(p, problems));
  onCleanup(() => ctx.close().catch(() => {}));
  return ctx;
}

function watchPage(p, problems) {
  livePages.add(p);
  // A new document frees the bodies of the old one's responses: let their checks read them first.
  for (const name of ['goto', 'reload']) {
    const original = p[name].bind(p);
    p[name] = async (...a) => {
      await contractSettled();
      return original(...a);
    };
  }
  p.on('close', () => livePages.delete(p));
  p.on('pageerror', (e) => problems.push(`script error on ${p.url()}: ${e.message}`));
  p.on('console', (m) => {
    // Failed resource loads are reported by the response listener (4xx can be expected).
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console error on ${p.url()}: ${m.text()}`);
  });
}

/**
 * Fails when the context saw a script error, a 5xx answer, an outside request or an API response
 * that does not match the document (checked once its body is read: hence async).
 */
export async function checkNoProblems(ctx) {
  await contractSettled();
  check(ctx.problems.length === 0, `browser problems:\n    ${ctx.problems.join('\n    ')}`);
}

/**
 * How long the costly anonymous routes (sign-in's password hashing, /verify) may take. The
 * server runs them on a pool at the lowest CPU priority, so that they never delay officers: on a
 * machine busy with other work (two test suites and compilers at once) a sign-in waits its turn
 * for tens of seconds. That is the design, not a fault, so only these steps wait longer.
 */
export const COSTLY_TIMEOUT = 120_000;

/** Signs in through the sign-in page; returns once the header shows the account. */
export async function signIn(page, login, { next } = {}) {
  if (!page.url().includes('/dang-nhap')) await page.goto(next ? `/dang-nhap?next=${encodeURIComponent(next)}` : '/dang-nhap');
  await page.getByTestId('login-name').fill(login);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor({ timeout: COSTLY_TIMEOUT });
  await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap'));
}

/**
 * Signs `ctx` in as `login` through the API (for a test's setup, not what it tests) and returns
 * get(path) and post(path, body, { status, headers }), which send the CSRF header and fail the
 * test on an answer that is not 2xx (or not `status` when given).
 */
export async function apiSession(ctx, login) {
  const r = await ctx.request.post('/api/v1/auth/login', { data: { login, password: PASSWORD, mode: 'cookie' }, timeout: COSTLY_TIMEOUT });
  check(r.ok(), `API sign-in of ${login}: ${r.status()}`);
  const csrf = (await ctx.cookies()).find((c) => c.name === 'tinhso_csrf')?.value ?? '';
  const answer = async (res, what, status) => {
    check(status ? res.status() === status : res.ok(), `${what}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
  return {
    get: async (p) => answer(await ctx.request.get(p), `GET ${p}`),
    post: async (p, body, { status, headers = {} } = {}) =>
      answer(await ctx.request.post(p, { data: body, headers: { 'X-CSRF-Token': csrf, ...headers } }), `POST ${p}`, status),
  };
}

/** A new context and page signed in as `login` (or anonymous when login is null). */
export async function session(browser, server, login, opts) {
  const ctx = await newContext(browser, server, opts);
  const page = await ctx.newPage();
  if (login) await signIn(page, login);
  return { ctx, page };
}

// ---------------------------------------------------------------------------------------------
// Screenshots

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Page checks: no untranslated key, no raw error, no unexplained blank state

function dictionaryKeys() {
  const src = dictionarySource('vi');
  const keys = [...src.matchAll(/^\s*'([a-z0-9_.]+)'\s*:/gm)].map((m) => m[1]);
  if (keys.length < 100) throw new Error(`could not read the dictionary keys (${keys.length})`);
  return keys;
}
const KEYS = dictionaryKeys();
const NAMESPACES = [...new Set(KEYS.map((k) => k.split('.')[0]))];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "status.4", "dash.received", any "<namespace>.<word>" of the dictionary's namespaces. */
const KEY_PATTERN = new RegExp(`(?<![\\w.@/-])(?:${NAMESPACES.map(escape).join('|')})\\.[a-z0-9_]+(?:\\.[a-z0-9_]+)*(?![\\w@-])`, 'g');
const RAW_PATTERNS = [
  [/\{\s*"(error|code|message|message_en|request_id)"\s*:/, 'raw JSON'],
  [/"message_en"|"request_id"/, 'raw JSON'],
  [/\[object \w+\]/, '[object …]'],
  [/\bundefined\b/, '"undefined"'],
  [/\bNaN\b/, '"NaN"'],
  [/Invalid Date/, '"Invalid Date"'],
  [/\{[a-z_]+\}/, 'unfilled {placeholder}'],
  [/\b(TypeError|ReferenceError|SyntaxError|Unexpected token)\b/, 'script error text'],
];

/**
 * Checks the visible page: it has a heading and content, no spinner left, no text that is a
 * translation key, raw JSON, "undefined"/"NaN", or an unfilled placeholder; <html lang> is the
 * chosen language; at phone width nothing makes the page scroll sideways.
 */
export async function checkPage(page, { lang, width, what = page.url() } = {}) {
  const info = await page.evaluate(() => {
    const main = document.querySelector('main');
    const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    return {
      text: document.body.innerText,
      mainText: main ? main.innerText.trim() : '',
      h1: [...document.querySelectorAll('h1')].filter(visible).map((h) => h.innerText.trim()),
      spinners: [...document.querySelectorAll('.loading')].filter(visible).length,
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      title: document.title,
      // The outermost elements sticking out on the right, to name in an overflow failure.
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => {
          const cw = document.documentElement.clientWidth + 1;
          if (el.getBoundingClientRect().right <= cw) return false;
          // Absolutely placed elements escape a scrolling parent that is not their containing block.
          if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return true;
          return !(el.parentElement && el.parentElement.getBoundingClientRect().right > cw);
        })
        .slice(0, 5)
        .map((el) => `${getComputedStyle(el).position === 'absolute' ? 'position:absolute ' : ''}${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`),
    };
  });
  const where = `on ${what}`;
  const keys = [...new Set(info.text.match(KEY_PATTERN) ?? [])];
  check(keys.length === 0, `untranslated key(s) ${where}: ${keys.join(', ')}`);
  for (const [re, label] of RAW_PATTERNS) {
    const m = re.exec(info.text);
    check(!m, `${label} shown ${where}: …${m ? info.text.slice(Math.max(0, m.index - 60), m.index + 60).replace(/\s+/g, ' ') : ''}…`);
  }
  check(info.h1.length >= 1 && info.h1.every((h) => h.length > 0), `no visible <h1> with text ${where}`);
  check(info.mainText.length > 40, `blank page ${where}: main has only ${JSON.stringify(info.mainText)}`);
  check(info.spinners === 0, `a loading indicator is still shown ${where}`);
  check(!/undefined|null/.test(info.title) && info.title.length > 3, `document title ${JSON.stringify(info.title)} ${where}`);
  if (lang) checkEq(info.lang, lang, `<html lang> ${where}`);
  if (width && width < 600) {
    check(info.scrollWidth <= info.clientWidth + 1, `page scrolls sideways at ${width}px ${where}: content is ${info.scrollWidth}px wide; sticking out: ${info.wide.join(', ')}`);
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Today's date in Asia/Ho_Chi_Minh as YYMMDD (the date part of a dossier code). */
export function todayYYMMDD() {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return p.slice(2, 4) + p.slice(5, 7) + p.slice(8, 10);
}

/** "1.234" (vi) or "1,234" (en) → 1234. */
export function parseCount(text) {
  const digits = String(text).replace(/[^\d]/g, '');
  check(digits.length > 0, `not a number: ${JSON.stringify(text)}`);
  return Number(digits);
}

/** The UI's text for a dictionary key, read from the dictionaries (for expected strings). */
const dictCache = {};
/** The dictionary's source text: Vietnamese is vi.ts and the staff pages' vi-staff.ts. */
function dictionarySource(lang) {
  const files = lang === 'vi' ? ['vi.ts', 'vi-staff.ts'] : [`${lang}.ts`];
  return files.map((f) => fs.readFileSync(path.join(WEB, 'src', 'i18n', f), 'utf8')).join('\n');
}

export function tr(lang, key, params = {}) {
  if (!dictCache[lang]) {
    const src = dictionarySource(lang);
    const d = {};
    for (const m of src.matchAll(/^\s*'([a-z0-9_.]+)'\s*:\s*(['"])((?:\\.|(?!\2).)*)\2\s*,?\s*$/gm)) d[m[1]] = m[3].replace(/\\(.)/g, '$1');
    dictCache[lang] = d;
  }
  const s = dictCache[lang][key];
  if (s === undefined) throw new Error(`no ${lang} text for ${key}`);
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/** Small valid files to upload. */
export function sampleFiles(dir) {
  const pdf = path.join(dir, 'to-khai.pdf');
  fs.writeFileSync(
    pdf,
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
  const png = path.join(dir, 'mat-bang.png');
  fs.writeFileSync(
    png,
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  );
  const list = path.join(dir, 'danh-muc-thiet-bi.pdf');
  fs.copyFileSync(pdf, list);
  return { pdf, png, list };
}

export function tempDir(prefix = 'tinhso-e2e-files-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/**
 * A configuration file in `dir` that keeps in `dir` what the server and the CLI write beside the
 * database: the PKI's master key (both must share it), the audit checkpoints and the gateway
 * log's archives (by default under var/ of the working directory, the repository's).
 */
export function testConfig(dir) {
  const config = path.join(dir, 'tinhso.toml');
  fs.writeFileSync(
    config,
    `[pki]\nmaster_key_file = "${path.join(dir, 'pki', 'master.key')}"\n` +
      `[audit]\ncheckpoint_dir = "${path.join(dir, 'audit-checkpoints')}"\n` +
      `[gateway]\narchive_dir = "${path.join(dir, 'gateway-archives')}"\n`,
  );
  return config;
}

/** The tinhso CLI on the test's database with `config`; returns what it printed. */
export function cliOn(db, config) {
  return (...a) => runTool(BINARY, [...a, '--database', db, '--config', config], { cwd: ROOT });
}

/**
 * The provincial PKI through the CLI: root and issuing CA, a time-stamping unit and an
 * organisation certificate of `agency`. Returns that certificate's id.
 */
export function setUpPki(cli, agency) {
  cli('pki', 'init');
  cli('pki', 'issue', '--kind', 'tsa', '--name', 'TSA', '--organization', 'UBND');
  const issued = cli('pki', 'issue', '--kind', 'organisation', '--agency', agency);
  const id = /^(\d+)\t/m.exec(issued)?.[1];
  check(id, `certificate id in the output of pki issue: ${JSON.stringify(issued)}`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// axe-core

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page as lines ("<what>: rule [impact] help — elements"): serious
 * and critical ones, or every one with `all`. The mouse is moved away first: a touch screen or a
 * keyboard has no hover state to hide a problem.
 */
export async function axeViolations(page, what, { all = false } = {}) {
  await page.mouse.move(0, 0);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  log(`axe ${what}: ${res.violations.map((v) => `${v.id}:${v.impact}`).join(', ') || 'no violation'}`);
  return res.violations
    .filter((v) => all || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} [${v.impact}] ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Fails on axeViolations. */
export async function checkAxe(page, what, options) {
  const found = await axeViolations(page, what, options);
  check(found.length === 0, `axe:\n    ${found.join('\n    ')}`);
}
