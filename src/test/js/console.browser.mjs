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

  await step('the item page shows availability, what is bought together and what trends in its category', async () => {
    const now = Date.now();
    const events = [];
    for (let u = 0; u < 3; u++) {
      events.push({ id: `basket-${u}-a`, user: `basket-${u}`, item: 'boot-1', type: 'purchase', timestamp: new Date(now - 60_000 * (u + 2)).toISOString() });
      events.push({ id: `basket-${u}-b`, user: `basket-${u}`, item: 'book-2', type: 'add_to_cart', timestamp: new Date(now - 60_000 * (u + 1)).toISOString() });
    }
    await postEvents(events);
    await page.goto(url('#/item/boot-1'));
    await page.locator('#together li[data-id="book-2"]').waitFor();
    assert.match(await page.locator('#together li[data-id="book-2"]').innerText(), /3 users/);
    assert.match(await page.locator('#item-availability').innerText(), /^On offer/);
    // three purchases in the last minutes: the boot trends in its category, and is marked as this item
    await page.locator('#trending li.overlap[data-id="boot-1"]').waitFor();
    await shot('item-merchandising');
    const res = await fetch(new URL('/v1/items/availability', base), { method: 'PATCH', headers: { 'Content-Type': 'application/x-ndjson' },
      body: '{"id": "boot-2", "available": false}\n' });
    assert.equal(res.status, 200, await res.text());
    await page.goto(url('#/item/boot-2'));
    await page.locator('#item-availability', { hasText: 'Not on offer' }).waitFor();
    // the bought-together card answers with a list or with the reason there is none (never stays loading)
    await page.locator('#together ol, #together .empty').first().waitFor();
    await fetch(new URL('/v1/items/availability', base), { method: 'PATCH', headers: { 'Content-Type': 'application/x-ndjson' },
      body: '{"id": "boot-2", "available": true}\n' });
  });

  await step('the rules page saves a set, refuses a bad one by field, and previews a feed with a pin', async () => {
    await page.goto(url('#/rules'));
    await page.locator('#rule-sets .empty').waitFor();
    await page.fill('#rules-name', 'console-rules');
    await page.fill('#rules-json', JSON.stringify([{ name: 'up', effect: 'boost', by: 2, when: { categories: ['coffee'] } }]));
    await page.click('#rules-save');
    await page.locator('#rules-message .error', { hasText: 'rules[0].by' }).waitFor();
    // boots: the console user never touched one (a seen item would not be pinned into their feed)
    await page.fill('#rules-json', JSON.stringify([{ name: 'promo', effect: 'pin', items: ['boot-3'], position: 1 }]));
    await page.click('#rules-save');
    await page.locator('#rules-saved', { hasText: 'version 1' }).waitFor();
    await page.locator('#rule-sets tr[data-set="console-rules"]').waitFor();
    await page.fill('#preview-user', 'console-user');
    await page.click('#preview-run');
    await page.locator('#preview-after li').first().waitFor();
    assert.equal(await page.locator('#preview-after li').first().getAttribute('data-id'), 'boot-3');
    assert.match(await page.locator('#preview-after li').first().locator('.reason').innerText(), /promo pinned at 1/);
    await page.locator('#preview-before li').first().waitFor();
    assert.notEqual(await page.locator('#preview-before li').first().getAttribute('data-id'), 'boot-3',
      'the user likes books: without the pin a boot does not lead');
    await shot('rules');
  });

  await step('the experiments page starts an experiment and charts its report with intervals', async () => {
    await page.goto(url('#/experiments'));
    await page.locator('#experiment-list .empty').waitFor();
    await page.fill('#experiment-name', 'console-exp');
    await page.click('#experiment-start');
    await page.waitForURL(/#\/experiments\/console-exp$/);
    await page.locator('#experiment-table tr[data-name="control"]').waitFor();
    // feeds for 40 users and a click on a third of them
    const clicks = [];
    for (let u = 0; u < 40; u++) {
      const feed = await (await fetch(new URL(`/v1/users/exp-user-${u}/recommendations?k=3`, base))).json();
      assert.equal(feed.experiment, 'console-exp');
      if (u % 3 === 0) clicks.push({ id: `exp-click-${u}`, user: `exp-user-${u}`, item: feed.items[0].id, type: 'click', recommendation_id: feed.recommendation_id });
    }
    await postEvents(clicks);
    await page.waitForTimeout(600); // the log is written in batches every 200 ms
    await page.reload();
    await page.locator('#experiment-table tr[data-name="more-content"]').waitFor();
    const rows = await page.locator('#experiment-table tr[data-name]').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText)));
    assert.deepEqual(rows.map((r) => r[0]), ['control', 'more-content']);
    assert.equal(rows.reduce((n, r) => n + Number(r[1]), 0), 40, `impressions: ${rows}`);
    assert.equal(rows.reduce((n, r) => n + Number(r[3]), 0), clicks.length, `clicks: ${rows}`);
    assert.match(rows[0][4], /%\s*\[\d+\.\d%, \d+\.\d%\]/);
    assert.match(rows[1][5], /pts \[-?\d+\.\d+, -?\d+\.\d+\]/);
    assert.match(await page.locator('#experiment-chart').getAttribute('aria-label'), /control \d+\.\d% \(/);
    assert.ok(await paintedPixels(page, '#experiment-chart') > 300, 'the chart has bars');
    await page.locator('#strategy-table tr[data-name="feed:popular"]').waitFor();
    await shot('experiments');
    await page.locator('tr[data-experiment="console-exp"] button[data-action=stop]').click();
    await page.locator('tr[data-experiment="console-exp"] .chip', { hasText: 'stopped' }).waitFor();
    page.once('dialog', (d) => d.accept('control'));
    await page.locator('tr[data-experiment="console-exp"] button[data-action=conclude]').click();
    await page.locator('tr[data-experiment="console-exp"] .chip', { hasText: 'concluded' }).waitFor();
  });

  await step('the jobs page offers only content spaces to re-embed, the active one first', async () => {
    const res = await fetch(new URL('/v1/jobs/train', base), { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'console-collab' }) });
    const job = await res.json();
    assert.equal(res.status, 202, JSON.stringify(job));
    for (let state = ''; !['done', 'failed', 'cancelled'].includes(state);) {
      await new Promise((r) => setTimeout(r, 300));
      state = (await (await fetch(new URL(`/v1/jobs/${job.id}`, base))).json()).state;
    }
    await page.goto(url('#/jobs'));
    await page.locator('tr[data-space="console-collab"]').waitFor();
    const options = await page.locator('#job-space option').evaluateAll((os) => os.map((o) => o.value));
    assert.equal(options[0], 'content', `options: ${options}`);
    assert.ok(!options.includes('console-collab'), `a collaborative space is not re-embedded: ${options}`);
  });

  await step('every page fits a phone-sized viewport', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of ['search', 'user/console-user', 'jobs', 'map', 'eval', 'rules', 'experiments']) {
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
