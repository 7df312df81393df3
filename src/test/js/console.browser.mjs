// Browser test of the web console: Debian's headless chromium driven by playwright-core against a running service.
// Usage: node console.browser.mjs <base-url> <screenshot-dir>   (ConsoleBrowserTest runs it against a @QuarkusTest
// app whose catalog is Catalogs.TOPICS). Exits non-zero on the first failed check; screenshots of every page go to
// <screenshot-dir>.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [base = 'http://localhost:8080/', shots = 'target/screenshots'] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(path.join(tmpdir(), 'embedrec-chromium-'));
const url = (hash) => new URL(`/${hash}`, base).toString();

const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = browser.pages()[0] || await browser.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.setDefaultTimeout(60_000);

async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    await page.screenshot({ path: path.join(shots, `FAILED-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

try {
  await step('search finds espresso machines and a result opens the item page', async () => {
    await page.goto(url('#/search'));
    await page.locator('#search-category option', { hasText: 'coffee' }).waitFor({ state: 'attached' });
    await page.fill('#q', 'make espresso at home');
    await page.keyboard.press('Enter');
    const first = page.locator('#search-results li.result').first();
    await first.waitFor();
    assert.match(await first.getAttribute('data-id'), /^esp-/);
    assert.ok(await first.locator('.chip', { hasText: 'coffee' }).count() === 1, 'first result shows its category');
    assert.match(await first.locator('.score').innerText(), /^\d\.\d{3}$/);
    await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });
    await first.locator('a').click();
    await page.locator('#item-title').waitFor();
    assert.match(await page.locator('#item-title').innerText(), /espresso|coffee/i);
  });

  await step('the item page shows vector status and similar items with scores', async () => {
    await page.locator('#similar-left li').first().waitFor();
    const ids = await page.locator('#similar-left li').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.ok(ids.slice(0, 3).every((id) => id.startsWith('esp-')), `top neighbours of an espresso machine: ${ids}`);
    assert.match(await page.locator('#vector-status').innerText(), /content\s+ready/);
    await page.screenshot({ path: path.join(shots, 'item.png'), fullPage: true });
  });

  await step('a problem+json error is shown to the person', async () => {
    await page.goto(url('#/item/no-such-item'));
    const err = page.locator('.error');
    await err.waitFor();
    assert.match(await err.innerText(), /not found/i);
    assert.match(await err.innerText(), /no-such-item/);
  });

  await step('liking an item changes the feed and explains it', async () => {
    await page.goto(url('#/user/console-user'));
    await page.locator('#feed li').first().waitFor();
    const before = await page.locator('#feed li').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(await page.locator('#feed').getAttribute('data-strategy'), 'popular');
    const liked = before.find((id) => id.startsWith('book-'));
    await page.locator(`#feed li[data-id="${liked}"] button[data-action=like]`).click();
    await page.waitForFunction((id) => ![...document.querySelectorAll('#feed li')].some((li) => li.dataset.id === id), liked);
    const after = await page.locator('#feed li').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.notDeepEqual(after, before);
    await page.locator('#feed .reason', { hasText: 'because you liked' }).first().waitFor();
    await page.locator('#history li', { hasText: 'like' }).first().waitFor();
    await page.fill('#diversity', '0.5');
    await page.locator('#diversity').dispatchEvent('change');
    await page.locator('#feed li').first().waitFor();
    await page.screenshot({ path: path.join(shots, 'user.png'), fullPage: true });
  });

  await step('a re-embed job streams its progress to 100%', async () => {
    await page.goto(url('#/jobs'));
    await page.locator('#job-space option').first().waitFor({ state: 'attached' });
    await page.selectOption('#job-scope', 'all');
    await page.click('#start-job');
    await page.locator('#job-progress[data-state=done][aria-valuenow="100"]').waitFor({ timeout: 120_000 });
    assert.match(await page.locator('#job-progress-text').innerText(), /done · 100% · 12 of 12 done · [\d.]+ items\/s/);
    await page.locator('#job-list td', { hasText: 'done' }).first().waitFor();
    await page.screenshot({ path: path.join(shots, 'jobs.png'), fullPage: true });
  });

  await step('two spaces side by side on the item page, then activate and roll back on the jobs page', async () => {
    // a second space on the quantized model embedding titles only: its neighbours differ somewhat from 'content'
    const res = await fetch(new URL('/v1/spaces', base), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'titles', model: 'all-minilm-l6-v2-q', recipe: ['title'] }) });
    const created = await res.text();
    assert.equal(res.status, 201, created);
    const { build_job: job } = JSON.parse(created);
    for (let state = ''; !['done', 'failed', 'cancelled'].includes(state);) {
      await new Promise((r) => setTimeout(r, 300));
      state = (await (await fetch(new URL(`/v1/jobs/${job}`, base))).json()).state;
    }
    await page.goto(url('#/item/esp-1'));
    await page.locator('#similar-left li').first().waitFor();
    await page.selectOption('#space-left', 'content');
    await page.selectOption('#space-right', 'titles');
    await page.locator('#similar-right li.overlap').first().waitFor();
    assert.match(await page.locator('#similar-right').innerText(), /\d+ of 10 in both/);
    await page.screenshot({ path: path.join(shots, 'item-compare.png'), fullPage: true });

    page.once('dialog', (d) => d.accept());
    await page.goto(url('#/jobs'));
    await page.locator('tr[data-space=titles] button', { hasText: 'Activate' }).click();
    await page.locator('tr[data-space=titles] .chip', { hasText: 'active' }).waitFor();
    page.once('dialog', (d) => d.accept());
    await page.locator('tr[data-space=content] button', { hasText: 'Roll back to this' }).click();
    await page.locator('tr[data-space=content] .chip', { hasText: 'active' }).waitFor();
  });

  await step('the map is computed with UMAP in a worker, saved, drawn, and hovering shows a title', async () => {
    await page.goto(url('#/map'));
    await page.locator('#map-status .empty').waitFor();
    await page.click('#map-compute');
    await page.locator('#map-saved').waitFor({ timeout: 120_000 });
    const painted = await page.evaluate(() => {
      const c = document.getElementById('map-canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255) n++;
      return n;
    });
    assert.ok(painted > 50, `canvas has ${painted} non-background pixels`);
    const pos = await page.evaluate(() => window.embedrecMap.screenOf('boot-1'));
    const box = await page.locator('#map-canvas').boundingBox();
    await page.mouse.move(box.x + pos.x, box.y + pos.y);
    await page.locator('#map-tooltip:not([hidden])').waitFor();
    assert.match(await page.locator('#map-tooltip').innerText(), /boot/i);
    await page.fill('#map-user', 'console-user');
    await page.press('#map-user', 'Enter');
    await page.locator('#map-overlay-msg', { hasText: 'red dot' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'map.png'), fullPage: true });
    // a second visitor gets the saved map without computing
    await page.reload();
    await page.waitForFunction(() => window.embedrecMap && window.embedrecMap.count() === 12);
    const again = await page.evaluate(() => window.embedrecMap.screenOf('boot-1'));
    const box2 = await page.locator('#map-canvas').boundingBox();
    await page.mouse.click(box2.x + again.x, box2.y + again.y);
    await page.waitForURL(/#\/item\/boot-1$/);
  });

  await step('the evaluation page opens and says what to do', async () => {
    await page.goto(url('#/eval'));
    await page.locator('#eval-result .empty, #eval-result table').first().waitFor();
    await page.click('#eval-run');
    await page.locator('#eval-result .empty, #eval-result #eval-chart, #eval-result .error').first().waitFor();
    await page.screenshot({ path: path.join(shots, 'eval.png'), fullPage: true });
  });

  await step('every page fits a phone-sized viewport', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of ['search', 'user/console-user', 'jobs', 'map', 'eval']) {
      await page.goto(url(`#/${name}`));
      await page.locator('main h1').waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `#/${name} scrolls sideways by ${overflow}px on a phone`);
      await page.screenshot({ path: path.join(shots, `phone-${name.split('/')[0]}.png`), fullPage: true });
    }
  });

  await step('forms are keyboard-accessible', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url('#/search'));
    await page.locator('#q').waitFor();
    await page.locator('#search-category option', { hasText: 'books' }).waitFor({ state: 'attached' });
    await page.focus('#q');
    await page.keyboard.type('bedtime story for toddlers');
    await page.keyboard.press('Enter');
    await page.locator('#search-results li.result').first().waitFor();
    assert.match(await page.locator('#search-results li.result').first().getAttribute('data-id'), /^book-/);
  });

  const unexpected = consoleErrors.filter((e) => !/status of 404|Failed to load resource/.test(e));
  assert.deepEqual(unexpected, [], 'no script errors in the page');
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log('console browser test: all steps passed');
