// What the console's browser tests share: Debian's headless chromium through playwright-core, named steps that save
// a screenshot when they fail, and a count of a canvas's painted pixels.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Opens a fresh browser profile at 1280×800; url(hash) resolves a console page against base. */
export async function openConsole(base, shots) {
  mkdirSync(shots, { recursive: true });
  const profile = mkdtempSync(path.join(tmpdir(), 'embedrec-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.setDefaultTimeout(60_000);
  return {
    page,
    url: (hash) => new URL(`/${hash}`, base).toString(),
    shot: (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true }),
    async step(name, fn) {
      const t = Date.now();
      try {
        await fn();
        console.log(`ok   ${name} (${Date.now() - t} ms)`);
      } catch (e) {
        console.log(`FAIL ${name}: ${e.message}`);
        await page.screenshot({ path: path.join(shots, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
        throw e;
      }
    },
    /** Script errors in the page other than the failed requests a test provokes on purpose. */
    unexpectedErrors: (allowed = /status of 40[14]|Failed to load resource/) => errors.filter((e) => !allowed.test(e)),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** How many pixels of the canvas are not the white background. */
export function paintedPixels(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255) n++;
    return n;
  }, selector);
}
