// make bench: the portal's public pages on a rural phone's line, in Debian's Chromium: slow 3G
// (400 kbit/s down and up, 2000 ms round trip, Network.emulateNetworkConditions) and a CPU four
// times slower (Emulation.setCPUThrottlingRate 4), cold cache (a new browser context each run),
// from tinhso and from nginx serving the same web/dist with gzip_static (its /api/ proxied to
// the same tinhso, so that the page can draw what it fetches). Prints one JSON object:
//   {"tinhso":{"home_ms","procedure_ms","lookup_ms"},"reference":{…},"runs":N,"procedure":CODE}
// Medians of N runs, taken in turns (tinhso, then nginx, for each page).
//   node bench/web_slow3g.mjs http://127.0.0.1:PORT http://127.0.0.1:NGINX_PORT [runs] [code]
//
// "First useful content", in milliseconds from the navigation's start (performance.now() in
// the page), is the first animation frame after the page holds, laid out (getClientRects() not
// empty: not display:none, not in a hidden subtree), the thing a citizen came for:
//   home       a link to a procedure page (a[href^="/thu-tuc?ma="]) with its name as text,
//              inside <main>: the procedure list has begun to show;
//   procedure  the <h1> inside <main> whose text is the procedure's name;
//   lookup     the lookup form's dossier-code input inside <main> (input[name=ma] or #lk-code).
// Whether the server rendered it or the script drew it does not matter, nor whether the script
// has finished. The frame comes after the render-blocking stylesheet, so it is what is painted.
import { launchChromium, median } from './chromium.mjs';

const [tinhso, reference, runsArg = '3', codeArg] = process.argv.slice(2);
const runs = Number(runsArg);
const TIMEOUT_MS = 120_000;

// A procedure of the catalog (the first one, unless given) and its name.
const list = await (await fetch(`${tinhso}/api/v1/procedures?limit=1${codeArg ? `&q=${codeArg}` : ''}`)).json();
const procedure = list.items[0];

const browser = await launchChromium();

// Runs in the page from the document's start: watches every change until the useful content is
// there, then stamps the next frame.
function watch({ kind, name }) {
  const rendered = (el) => el && el.getClientRects().length > 0;
  const found = () => {
    const main = document.querySelector('main');
    if (!main) return false;
    if (kind === 'home') {
      return [...main.querySelectorAll('a[href^="/thu-tuc?ma="]')].some((a) => a.textContent.trim() && rendered(a));
    }
    if (kind === 'procedure') {
      return [...main.querySelectorAll('h1')].some((h) => h.textContent.trim() === name && rendered(h));
    }
    return [...main.querySelectorAll('input[name=ma], #lk-code')].some(rendered);
  };
  let seen = false;
  const check = () => {
    if (seen || !found()) return;
    seen = true;
    requestAnimationFrame(() => { window.__useful = performance.now(); });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener('DOMContentLoaded', check);
}

async function measure(base, kind) {
  const url = { home: '/', procedure: `/thu-tuc?ma=${encodeURIComponent(procedure.code)}`, lookup: '/tra-cuu' }[kind];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 2000,
    downloadThroughput: (400 * 1000) / 8,
    uploadThroughput: (400 * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(watch, { kind, name: procedure.name });
  await page.goto(base + url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
  await page.waitForFunction(() => window.__useful !== undefined, null, { timeout: TIMEOUT_MS, polling: 250 });
  const ms = await page.evaluate(() => window.__useful);
  await context.close();
  return ms;
}

const out = { tinhso: {}, reference: {}, runs, procedure: procedure.code };
for (const kind of ['home', 'procedure', 'lookup']) {
  const t = [];
  const r = [];
  for (let i = 0; i < runs; ++i) {
    t.push(await measure(tinhso, kind));
    r.push(await measure(reference, kind));
  }
  out.tinhso[`${kind}_ms`] = Math.round(median(t));
  out.reference[`${kind}_ms`] = Math.round(median(r));
  out.tinhso[`${kind}_runs`] = t.map(Math.round);
  out.reference[`${kind}_runs`] = r.map(Math.round);
}
await browser.close();
console.log(JSON.stringify(out));
