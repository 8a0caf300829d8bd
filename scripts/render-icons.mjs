// Renders the app's raster icons from app/icon.svg with the test browser (Chromium), so the icons
// stay one drawing: app/favicon.ico (16 and 32 px PNGs in an ICO container) and
// app/apple-icon.png (180 px, square corners: iOS rounds them itself). Run after editing the SVG:
//   node scripts/render-icons.mjs
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('app/icon.svg', 'utf8');
const systemChromium = '/usr/bin/chromium';
const executablePath = process.env.CHROMIUM_PATH || (existsSync(systemChromium) ? systemChromium : undefined);

async function render(page, source, size) {
  await page.setViewportSize({ width: size, height: size });
  const html = `<html><body style="margin:0;background:transparent">${source.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`;
  await page.setContent(html);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** An ICO file holding PNG images (supported by every browser that shows favicons). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2);
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  const favicon = [];
  for (const size of [16, 32, 48]) favicon.push({ size, png: await render(page, svg, size) });
  writeFileSync('app/favicon.ico', ico(favicon));
  writeFileSync('app/apple-icon.png', await render(page, svg.replace('rx="14"', 'rx="0"'), 180));
  console.log('wrote app/favicon.ico and app/apple-icon.png');
} finally {
  await browser.close();
}
