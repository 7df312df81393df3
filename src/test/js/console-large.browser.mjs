// Browser test of the console on a large catalog (ConsoleLargeCatalogBrowserTest: 20,000 items, their synthetic
// vectors in space <space>). Usage: node console-large.browser.mjs <base-url> <screenshot-dir> <space>
// It cancels a running re-embed from the jobs page; computes a UMAP map of 10,000 points in the worker, watching its
// progress; draws and hovers a map of 20,000 points. It prints what it timed as a table (timings are reported, not
// asserted). MAP_TIMING_SIZES=5000,10000,20000 also computes UMAP at each of those sizes (bench/console/run.sh).
import assert from 'node:assert/strict';
import { openConsole, paintedPixels } from './browser.mjs';

const [base = 'http://localhost:8080/', shots = 'target/screenshots', space = 'synthetic'] = process.argv.slice(2);
const { page, url, shot, step, unexpectedErrors, close } = await openConsole(base, shots);
const timings = []; // {points, method, fetchSeconds, computeSeconds, draw, drawMax, hover, hoverMax}

/** Computes a map on the map page and returns what the page showed while it ran and how long it took. */
async function computeMap(points, method) {
  await page.goto(url('#/map'));
  await page.locator(`#map-space option[value="${space}"]`).waitFor({ state: 'attached' });
  await page.selectOption('#map-space', space);
  await page.waitForURL(new RegExp(`#/map/${space}$`));
  await page.locator('#map-status .empty, #map-status #map-stale, #map-status p.muted:not(:has-text("Loading"))').first().waitFor();
  await page.selectOption('#map-sample', String(points));
  await page.selectOption('#map-method', method);
  const seen = [];
  const started = Date.now();
  await page.click('#map-compute');
  while (await page.locator('#map-saved').count() === 0) {
    const now = await page.evaluate(() => ({
      text: document.getElementById('map-progress-text')?.innerText || '',
      value: Number(document.getElementById('map-progress').getAttribute('aria-valuenow') || 0),
      visible: !document.getElementById('map-progress').hidden,
    }));
    if (now.visible) {
      if (/step 1 of 3|PCA/.test(now.text) && !seen.some((x) => /step 1 of 3|PCA/.test(x.text))) await shot(`map-progress-${points}`);
      seen.push({ ...now, at: (Date.now() - started) / 1000 });
    }
    assert.equal(await page.locator('#map-status .error').count(), 0, await page.locator('#map-status').innerText());
    assert.ok(Date.now() - started < 600_000, 'the map took over 10 minutes');
    await page.waitForTimeout(250);
  }
  // what the page showed: the first label of each phase, when, and how far the bar went during the phase
  const phase = (x) => x.text.split(' · ')[0];
  seen.forEach((x, i) => {
    if (i > 0 && phase(x) === phase(seen[i - 1])) return;
    const last = seen.filter((y) => phase(y) === phase(x)).at(-1);
    console.log(`     ${x.at.toFixed(1)} s  bar ${x.value}% → ${last.value}%  "${x.text}"`);
  });
  const canvas = page.locator('#map-canvas');
  const fetchSeconds = Number(await canvas.getAttribute('data-fetch-seconds'));
  return { fetchSeconds, computeSeconds: Number(await canvas.getAttribute('data-compute-seconds')) - fetchSeconds, seen };
}

/** Median and maximum of a frame drawn now, and of the hover handler (hit test + tooltip) at points' positions. */
async function drawAndHoverTimes() {
  return page.evaluate(() => {
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const draws = Array.from({ length: 15 }, () => window.embedrecMap.timeDraw());
    const canvas = document.getElementById('map-canvas');
    const box = canvas.getBoundingClientRect();
    const ids = window.embedrecMap.ids();
    const hovers = [];
    for (let i = 0; i < 60; i++) {
      const p = window.embedrecMap.screenOf(ids[(i * 7919) % ids.length]);
      const t = performance.now();
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + p.x, clientY: box.top + p.y, bubbles: true }));
      hovers.push(performance.now() - t);
    }
    return { draw: median(draws), drawMax: Math.max(...draws), hover: median(hovers), hoverMax: Math.max(...hovers) };
  });
}

async function hoverShowsATitle() {
  const ids = await page.evaluate(() => window.embedrecMap.ids());
  const box = await page.locator('#map-canvas').boundingBox();
  for (const id of ids.slice(0, 20)) { // a point drawn under another one shows the other's title: try a few
    const pos = await page.evaluate((x) => window.embedrecMap.screenOf(x), id);
    await page.mouse.move(box.x + pos.x, box.y + pos.y);
    await page.locator('#map-tooltip:not([hidden])').waitFor();
    if ((await page.locator('#map-tooltip').innerText()).includes(`package ${id.slice(4)} `)) return;
  }
  assert.match(await page.locator('#map-tooltip').innerText(), /^[A-Z][a-z]+ package \d+ · [a-z]+$/);
}

try {
  await step('a running re-embed of 20,000 items is cancelled from the jobs page', async () => {
    await page.goto(url('#/jobs'));
    await page.locator('#job-space option[value=content]').waitFor({ state: 'attached' });
    await page.selectOption('#job-space', 'content');
    await page.selectOption('#job-scope', 'all');
    await page.click('#start-job');
    await page.locator('#job-progress[data-state=running]').waitFor();
    assert.match(await page.locator('#job-progress-text').innerText(), /^running · \d+% · \d+ of 20000 done/);
    await page.click('#cancel-job');
    await page.locator('#job-progress[data-state=cancelled]').waitFor();
    const text = await page.locator('#job-progress-text').innerText();
    assert.match(text, /^cancelled · \d+% · (\d+) of 20000 done/);
    assert.ok(Number(/ (\d+) of/.exec(text)[1]) < 20000, text);
    assert.ok(await page.locator('#cancel-job').isHidden(), 'no cancel button on an ended job');
    await page.locator('#job-list tr', { hasText: 'cancelled' }).first().waitFor();
    const jobs = await (await fetch(new URL('/v1/jobs?limit=5', base))).json();
    assert.equal(jobs.items[0].state, 'cancelled', JSON.stringify(jobs.items[0]));
    await shot('jobs-cancelled');
  });

  await step('UMAP of 10,000 points runs in the worker with visible progress, then is saved, drawn and hovered', async () => {
    const run = await computeMap(10000, 'umap');
    for (const phase of ['step 1 of 3', 'step 2 of 3', 'step 3 of 3']) {
      assert.ok(run.seen.some((s) => s.text.includes(phase)), `the page showed "${phase}": ${JSON.stringify(run.seen.map((s) => s.text))}`);
    }
    assert.ok(run.seen.some((s) => s.value > 0 && s.value < 100), 'the bar moved between 0 and 100');
    assert.ok(run.seen.every((s, i) => i === 0 || s.value >= run.seen[i - 1].value), 'the bar never goes back');
    assert.ok(run.seen.every((s) => /\d+ s$/.test(s.text)), 'the elapsed time is shown');
    assert.match(await page.locator('#map-saved').innerText(), /UMAP of 10,000 items, computed in [\d.]+ s/);
    assert.equal(await page.evaluate(() => window.embedrecMap.count()), 10000);
    assert.ok(await paintedPixels(page, '#map-canvas') > 5000, 'the canvas shows the points');
    await hoverShowsATitle();
    timings.push({ points: 10000, method: 'umap', fetchSeconds: run.fetchSeconds, computeSeconds: run.computeSeconds, ...(await drawAndHoverTimes()) });
    await shot('map-10000');
  });

  await step('all 20,000 points are drawn, hovered and reloaded from the saved map', async () => {
    const run = await computeMap(20000, 'pca');
    assert.match(await page.locator('#map-saved').innerText(), /PCA of 20,000 items/);
    assert.ok(await paintedPixels(page, '#map-canvas') > 5000, 'the canvas shows the points');
    await hoverShowsATitle();
    timings.push({ points: 20000, method: 'pca', fetchSeconds: run.fetchSeconds, computeSeconds: run.computeSeconds, ...(await drawAndHoverTimes()) });
    // away and straight back before the search page's code has even loaded: the map, not the search page, shows
    await page.goto(url('#/search'));
    const t = Date.now();
    await page.goto(url(`#/map/${space}`));
    await page.locator('main h1', { hasText: 'Embedding map' }).waitFor();
    await page.waitForFunction(() => window.embedrecMap && window.embedrecMap.count() === 20000);
    console.log(`     the saved map of 20,000 points opens and draws in ${Date.now() - t} ms`);
    await hoverShowsATitle();
    await shot('map-20000');
  });

  for (const points of (process.env.MAP_TIMING_SIZES || '').split(',').filter(Boolean).map(Number)) {
    await step(`UMAP of ${points} points (MAP_TIMING_SIZES)`, async () => {
      const run = await computeMap(points, 'umap');
      timings.push({ points, method: 'umap', fetchSeconds: run.fetchSeconds, computeSeconds: run.computeSeconds, ...(await drawAndHoverTimes()) });
    });
  }

  assert.deepEqual(unexpectedErrors(), [], 'no script errors in the page');
} finally {
  console.log('\n| points | method | sample fetch, s | compute in the worker, s | draw a frame, ms (median / max) | hover, ms (median / max) |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
  for (const t of timings) {
    console.log(`| ${t.points.toLocaleString('en')} | ${t.method} | ${t.fetchSeconds.toFixed(1)} | ${t.computeSeconds.toFixed(1)} | ${t.draw.toFixed(1)} / ${t.drawMax.toFixed(1)} | ${t.hover.toFixed(2)} / ${t.hoverMax.toFixed(2)} |`);
  }
  await close();
}
console.log('console large-catalog browser test: all steps passed');
