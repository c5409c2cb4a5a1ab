// Files of real size for the browser tests, made at test time (nothing large is committed):
// JPEGs drawn on a canvas in Chromium (a phone photo of 3000×4000 pixels, pages of a document
// scanned at 200 dpi) with a little seeded noise, as a camera or scanner leaves, so that they
// compress like the real thing; PDFs built here around those JPEGs, one image per A4 page, with
// a correct cross-reference table (the server parses results and signs them).
import fs from 'node:fs';
import path from 'node:path';

export const MB = 1024 * 1024;
/** One tenth of a MB over the server's default limit (max_file_mb = 10). */
export const OVER_LIMIT_BYTES = Math.round(10.1 * MB);

/**
 * JPEGs drawn in a page of `browser`: kind 'photo' (a street scene) or 'scan' (a printed page),
 * noise of ± `noise` levels, seeded by `seed`. Returns Buffers.
 */
async function drawJpegs(browser, specs) {
  const page = await browser.newPage();
  try {
    const out = [];
    for (const spec of specs) {
      const b64 = await page.evaluate(async ({ kind, width, height, noise, seed }) => {
        // mulberry32: the same picture, hence the same size, on every run.
        let s = seed;
        const rnd = () => {
          s = (s + 0x6d2b79f5) | 0;
          let t = Math.imul(s ^ (s >>> 15), 1 | s);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const c = document.createElement('canvas');
        c.width = width;
        c.height = height;
        const g = c.getContext('2d');
        if (kind === 'photo') {
          const sky = g.createLinearGradient(0, 0, 0, height);
          sky.addColorStop(0, '#7fb2e5');
          sky.addColorStop(0.55, '#dfe9f2');
          sky.addColorStop(0.56, '#8a7f6a');
          sky.addColorStop(1, '#4d4536');
          g.fillStyle = sky;
          g.fillRect(0, 0, width, height);
          for (let i = 0; i < 40; i++) {
            g.fillStyle = `hsl(${rnd() * 360},30%,${30 + rnd() * 50}%)`;
            g.fillRect(rnd() * width, height * 0.3 + rnd() * height * 0.4, 100 + rnd() * 600, 100 + rnd() * 900);
          }
        } else {
          // Paper, a heading, lines of "words" and a stamp.
          g.fillStyle = '#f4f1ea';
          g.fillRect(0, 0, width, height);
          g.fillStyle = '#222';
          g.font = `bold ${Math.round(width / 30)}px serif`;
          g.fillText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', width * 0.2, 150);
          for (let y = 260; y < height - 300; y += 48) {
            let x = 160;
            while (x < width - 200) {
              const w = 20 + rnd() * 120;
              g.fillRect(x, y, w, 22);
              x += w + 18;
            }
          }
          g.strokeStyle = '#c0392b';
          g.lineWidth = 12;
          g.beginPath();
          g.arc(width * 0.7, height - 420, 180, 0, 2 * Math.PI);
          g.stroke();
        }
        const img = g.getImageData(0, 0, width, height);
        const d = img.data;
        for (let i = 0; i < d.length; i += 4) {
          const n = (rnd() - 0.5) * 2 * noise;
          d[i] += n;
          d[i + 1] += n;
          d[i + 2] += n;
        }
        g.putImageData(img, 0, 0);
        const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.9));
        const url = await new Promise((r) => {
          const fr = new FileReader();
          fr.onload = () => r(fr.result);
          fr.readAsDataURL(blob);
        });
        return url.slice(url.indexOf(',') + 1);
      }, spec);
      out.push({ data: Buffer.from(b64, 'base64'), width: spec.width, height: spec.height });
    }
    return out;
  } finally {
    await page.close();
  }
}

/** A PDF of A4 pages, each filled by one JPEG (DCTDecode), with an exact xref table. */
export function pdfFromJpegs(images, { title = 'Scan' } = {}) {
  const W = 595.28;
  const H = 841.89;
  const objects = []; // [number, Buffer]
  const pageIds = images.map((_, i) => 4 + i * 3);
  objects.push([1, Buffer.from('<</Type/Catalog/Pages 2 0 R>>')]);
  objects.push([2, Buffer.from(`<</Type/Pages/Count ${images.length}/Kids[${pageIds.map((n) => `${n} 0 R`).join(' ')}]>>`)]);
  objects.push([3, Buffer.from(`<</Title(${title})/Producer(tinhso e2e)>>`)]);
  images.forEach((img, i) => {
    const [pg, im, ct] = [pageIds[i], pageIds[i] + 1, pageIds[i] + 2];
    objects.push([pg, Buffer.from(`<</Type/Page/Parent 2 0 R/MediaBox[0 0 ${W} ${H}]/Resources<</XObject<</Im0 ${im} 0 R>>>>/Contents ${ct} 0 R>>`)]);
    objects.push([
      im,
      Buffer.concat([
        Buffer.from(`<</Type/XObject/Subtype/Image/Width ${img.width}/Height ${img.height}/ColorSpace/DeviceRGB/BitsPerComponent 8/Filter/DCTDecode/Length ${img.data.length}>>\nstream\n`),
        img.data,
        Buffer.from('\nendstream'),
      ]),
    ]);
    const draw = `q ${W} 0 0 ${H} 0 0 cm /Im0 Do Q`;
    objects.push([ct, Buffer.from(`<</Length ${draw.length}>>\nstream\n${draw}\nendstream`)]);
  });
  return assemble(objects);
}

function assemble(objects) {
  objects.sort((a, b) => a[0] - b[0]);
  const chunks = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0].length;
  const offsets = [];
  for (const [n, body] of objects) {
    offsets[n] = offset;
    const c = Buffer.concat([Buffer.from(`${n} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    chunks.push(c);
    offset += c.length;
  }
  const size = objects.length + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<</Size ${size}/Root 1 0 R/Info 3 0 R>>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref));
  return Buffer.concat(chunks);
}

/** A valid one-page PDF of exactly `bytes` bytes (the rest is an unused stream of filler). */
export function pdfOfSize(bytes) {
  const build = (filler) =>
    assemble([
      [1, Buffer.from('<</Type/Catalog/Pages 2 0 R>>')],
      [2, Buffer.from('<</Type/Pages/Count 1/Kids[3 0 R]>>')],
      [3, Buffer.from('<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>')],
      [4, Buffer.concat([Buffer.from(`<</Length ${filler}>>\nstream\n`), Buffer.alloc(filler, 0x20), Buffer.from('\nendstream')])],
    ]);
  let filler = bytes - build(0).length;
  for (let i = 0; i < 4; i++) {
    const d = bytes - build(filler).length;
    if (d === 0) break;
    filler += d;
  }
  const pdf = build(filler);
  if (pdf.length !== bytes) throw new Error(`pdfOfSize: ${pdf.length} bytes, not ${bytes}`);
  return pdf;
}

/** Bump when the drawings or the builders change: cached files of another version are remade. */
const VERSION = 1;

/**
 * The real-size files, with their paths:
 *   scan   a 4-page A4 scan at 200 dpi, PDF ~5 MB (a citizen's form)
 *   photo  a 3000×4000 phone photo, JPEG ~3 MB, with a Vietnamese name
 *   result a 2-page scanned decision, PDF ~3 MB (the leader's result)
 *   tooBig a valid PDF of 10.1 MB, over the limit
 * Drawing them takes several seconds, and they are the same on every run (seeded): they are
 * made once into `cacheDir` (written under a temporary name, then renamed, so a test never
 * reads half a file) and reused by the next tests.
 */
export async function realFiles(browser, cacheDir) {
  const dir = path.join(cacheDir, `v${VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  const page = (seed) => ({ kind: 'scan', width: 1654, height: 2339, noise: 12, seed });
  const makers = {
    scan: ['to-khai-ban-scan.pdf', async () => pdfFromJpegs(await drawJpegs(browser, [1, 2, 3, 4].map(page)), { title: 'To khai' })],
    photo: ['ảnh mặt bằng.jpg'.normalize('NFC'), async () => (await drawJpegs(browser, [{ kind: 'photo', width: 3000, height: 4000, noise: 10, seed: 7 }]))[0].data],
    result: ['quyet-dinh-cap-phep.pdf', async () => pdfFromJpegs(await drawJpegs(browser, [11, 12].map((s) => ({ ...page(s), noise: 16 }))), { title: 'Quyet dinh' })],
    tooBig: ['ban-scan-qua-lon.pdf', async () => pdfOfSize(OVER_LIMIT_BYTES)],
  };
  const out = {};
  for (const [key, [name, make]] of Object.entries(makers)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, await make());
      fs.renameSync(tmp, file);
    }
    out[key] = file;
  }
  return out;
}

/** "5.03 MB" of a file, for logs. */
export function sizeOf(file) {
  return `${(fs.statSync(file).size / MB).toFixed(2)} MB`;
}
