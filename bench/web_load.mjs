// make bench: how fast the portal's first page comes up in Debian's Chromium with a cold cache
// (a new browser context each time), from tinhso and from a reference server given as a second
// URL (nginx serving the same web/dist). Prints one JSON object:
//   {"tinhso":{"load_ms","ready_ms"},"reference":{…},"runs":N}
// load_ms: navigation start to the load event; ready_ms: to the procedure list being shown
// (the page has asked the API for the catalog and drawn it). Medians of N runs.
//   node bench/web_load.mjs http://127.0.0.1:PORT http://127.0.0.1:NGINX_PORT [runs]
import { launchChromium, median } from './chromium.mjs';

const [tinhso, reference, runsArg = '10'] = process.argv.slice(2);
const runs = Number(runsArg);
const browser = await launchChromium();

async function measure(base) {
  const load = [];
  const ready = [];
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(base + '/', { waitUntil: 'load' });
    const loaded = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return nav.loadEventEnd - nav.startTime;
    });
    // The reference server has no API: there the page is ready when the search box is.
    await page.waitForSelector(base === tinhso ? '[data-testid=procedure-result]'
                                              : '[data-testid=procedure-search]');
    ready.push(Date.now() - started);
    load.push(loaded);
    await context.close();
  }
  return { load_ms: Math.round(median(load)), ready_ms: Math.round(median(ready)) };
}

const out = { tinhso: await measure(tinhso), reference: await measure(reference), runs };
await browser.close();
console.log(JSON.stringify(out));
