// Browser test of the web console: Debian's headless chromium driven by playwright-core against a running service.
// Usage: node console.browser.mjs <base-url> <screenshot-dir>   (ConsoleBrowserTest runs it against a @QuarkusTest
// app whose catalog is Catalogs.TOPICS). Exits non-zero on the first failed check; screenshots of every page go to
// <screenshot-dir>.
import assert from 'node:assert/strict';
import { openConsole, paintedPixels } from './browser.mjs';

const [base = 'http://localhost:8080/', shots = 'target/screenshots'] = process.argv.slice(2);
const { page, url, shot, step, unexpectedErrors, close } = await openConsole(base, shots);

async function postEvents(events) {
  const res = await fetch(new URL('/v1/events', base), { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(events) });
  const report = await res.json();
  assert.equal(res.status, 200, JSON.stringify(report));
  assert.equal(report.rejected, 0, JSON.stringify(report));
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
    await shot('search');
    await first.locator('a').click();
    await page.locator('#item-title').waitFor();
    assert.match(await page.locator('#item-title').innerText(), /espresso|coffee/i);
  });

  await step('the item page shows vector status and similar items with scores', async () => {
    await page.locator('#similar-left li').first().waitFor();
    const ids = await page.locator('#similar-left li').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.ok(ids.slice(0, 3).every((id) => id.startsWith('esp-')), `top neighbours of an espresso machine: ${ids}`);
    assert.match(await page.locator('#vector-status').innerText(), /content\s+ready/);
    await shot('item');
  });

  await step('a problem+json error is shown to the person', async () => {
    await page.goto(url('#/item/no-such-item'));
    const err = page.locator('.error');
    await err.waitFor();
    assert.match(await err.innerText(), /not found/i);
    assert.match(await err.innerText(), /no-such-item/);
  });

  await step('liking an item changes the feed and explains it; the history lists the events with their types', async () => {
    await page.goto(url('#/user/console-user'));
    await page.locator('#feed li').first().waitFor();
    // a user exists from their first event on: before it the history is empty, and says what to do
    await page.locator('#history .empty', { hasText: 'No events yet' }).waitFor();
    const before = await page.locator('#feed li').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(await page.locator('#feed').getAttribute('data-strategy'), 'popular');
    const liked = before.find((id) => id.startsWith('book-'));
    await page.locator(`#feed li[data-id="${liked}"] button[data-action=like]`).click();
    await page.waitForFunction((id) => ![...document.querySelectorAll('#feed li')].some((li) => li.dataset.id === id), liked);
    const after = await page.locator('#feed li').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.notDeepEqual(after, before);
    await page.locator('#feed .reason', { hasText: 'because you liked' }).first().waitFor();
    // the history comes from GET /v1/users/{id}/events: the event, its type and the item's title
    const likedRow = page.locator(`#history li[data-type=like][data-item="${liked}"]`);
    await likedRow.waitFor();
    assert.equal(await likedRow.locator('.chip').innerText(), 'liked');
    assert.match(await likedRow.locator('.title').innerText(), /book|story|tale|bear|dragon/i);
    // buy a second book and dislike a coffee machine: three events, newest first
    const bought = (await page.locator('#feed li[data-id^="book-"]').first().getAttribute('data-id'));
    await page.locator(`#feed li[data-id="${bought}"] button[data-action=purchase]`).click();
    await page.locator(`#history li[data-type=purchase][data-item="${bought}"]`).waitFor();
    const coffee = await page.locator('#feed li[data-id^="esp-"]').first().getAttribute('data-id');
    await page.locator(`#feed li[data-id="${coffee}"] button[data-action=dislike]`).click();
    await page.locator(`#history li[data-type=dislike][data-item="${coffee}"]`).waitFor();
    assert.deepEqual(await page.locator('#history li').evaluateAll((els) => els.map((e) => `${e.dataset.type} ${e.dataset.item}`)),
      [`dislike ${coffee}`, `purchase ${bought}`, `like ${liked}`]);
    assert.deepEqual(await page.locator('#history li .chip').allInnerTexts(), ['disliked', 'bought', 'liked']);
    assert.equal(await page.locator('#history', { hasText: 'cannot list' }).count(), 0);
    await page.fill('#diversity', '0.5');
    await page.locator('#diversity').dispatchEvent('change');
    await page.locator('#feed li').first().waitFor();
    await page.locator('#feed .reason', { hasText: 'because you' }).first().waitFor();
    await shot('user');
  });

  await step('a re-embed job streams its progress to 100%', async () => {
    await page.goto(url('#/jobs'));
    await page.locator('#job-space option').first().waitFor({ state: 'attached' });
    await page.selectOption('#job-scope', 'all');
    await page.click('#start-job');
    await page.locator('#job-progress[data-state=done][aria-valuenow="100"]').waitFor({ timeout: 120_000 });
    assert.match(await page.locator('#job-progress-text').innerText(), /done · 100% · 12 of 12 done · [\d.]+ items\/s/);
    await page.locator('#job-list td', { hasText: 'done' }).first().waitFor();
    await shot('jobs');
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
    await shot('item-compare');

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
    const painted = await paintedPixels(page, '#map-canvas');
    assert.ok(painted > 50, `canvas has ${painted} non-background pixels`);
    const pos = await page.evaluate(() => window.embedrecMap.screenOf('boot-1'));
    const box = await page.locator('#map-canvas').boundingBox();
    await page.mouse.move(box.x + pos.x, box.y + pos.y);
    await page.locator('#map-tooltip:not([hidden])').waitFor();
    assert.match(await page.locator('#map-tooltip').innerText(), /boot/i);
    await page.fill('#map-user', 'console-user');
    await page.press('#map-user', 'Enter');
    await page.locator('#map-overlay-msg', { hasText: 'red dot' }).waitFor();
    await shot('map');
    // a second visitor gets the saved map without computing
    await page.reload();
    await page.waitForFunction(() => window.embedrecMap && window.embedrecMap.count() === 12);
    const again = await page.evaluate(() => window.embedrecMap.screenOf('boot-1'));
    const box2 = await page.locator('#map-canvas').boundingBox();
    await page.mouse.click(box2.x + again.x, box2.y + again.y);
    await page.waitForURL(/#\/item\/boot-1$/);
  });

  await step('the evaluation page runs an evaluation and charts the engine beside its components and baselines', async () => {
    await page.goto(url('#/eval'));
    await page.locator('#eval-result .empty', { hasText: 'No evaluation has run yet' }).waitFor();
    // 30 users, each viewing then buying the four items of one topic (after one item of another): the later ones
    // are held out, and the engine can find them from the earlier ones
    const topics = ['boot', 'esp', 'book'];
    const events = [];
    for (let u = 0; u < 30; u++) {
      const topic = topics[u % 3];
      const items = [`${topics[(u + 1) % 3]}-${1 + (u % 4)}`, ...[0, 1, 2, 3].map((j) => `${topic}-${1 + ((u + j) % 4)}`)];
      items.forEach((item, n) => events.push({ id: `eval-${u}-${n}`, user: `eval-user-${u}`, item, type: n % 2 ? 'purchase' : 'view',
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, u, n)).toISOString() }));
    }
    await postEvents(events);
    await page.fill('#eval-k', '3'); // of 12 items: at k = 10 every recommender finds nearly everything
    await page.click('#eval-run');
    await page.locator('#eval-result #eval-chart').waitFor({ timeout: 120_000 });
    const rows = await page.locator('#eval-table tr[data-name]').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText)));
    assert.deepEqual(rows.map((r) => r[0]), ['engine', 'content', 'collaborative', 'item_knn', 'most_popular', 'random']);
    for (const r of rows) for (const v of r.slice(1, 5)) assert.match(v, /^[01]\.\d{3}$/, `metrics of ${r[0]}: ${r}`);
    for (const r of rows) assert.match(r[5], /^\d+$/, `cold hits of ${r[0]}: ${r}`);
    assert.ok(Number(rows[0][1]) > 0, `the engine recalls some held-out items: ${rows[0]}`);
    assert.match(await page.locator('#eval-chart').getAttribute('aria-label'), /engine [01]\.\d{3} .* most_popular .* random/);
    assert.ok(await paintedPixels(page, '#eval-chart') > 500, 'the chart has bars');
    assert.match(await page.locator('#eval-result').innerText(), /\d+ users evaluated/);
    await shot('eval');
  });

  await step('every page fits a phone-sized viewport', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of ['search', 'user/console-user', 'jobs', 'map', 'eval']) {
      await page.goto(url(`#/${name}`));
      await page.locator('main h1').waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `#/${name} scrolls sideways by ${overflow}px on a phone`);
      await shot(`phone-${name.split('/')[0]}`);
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

  assert.deepEqual(unexpectedErrors(), [], 'no script errors in the page');
} finally {
  await close();
}
console.log('console browser test: all steps passed');
