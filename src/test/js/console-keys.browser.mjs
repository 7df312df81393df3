// Browser test of the console of a service with API keys (ConsoleApiKeyBrowserTest: keys reader-key-1 / read,
// writer-key-1 / write, admin-key-1 / admin; the topic catalog). Usage: node console-keys.browser.mjs <base-url> <dir>
import assert from 'node:assert/strict';
import { openConsole } from './browser.mjs';

const [base = 'http://localhost:8080/', shots = 'target/screenshots'] = process.argv.slice(2);
const { page, url, shot, step, unexpectedErrors, close } = await openConsole(base, shots);
const KEYS = ['reader-key-1', 'writer-key-1', 'admin-key-1'];
const storedKey = () => page.evaluate(() => sessionStorage.getItem('embedrec.apiKey'));

async function enterKey(key) {
  await page.locator('#key-form:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'key-input', 'the key field has the focus');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
}

try {
  await step('without a key the console asks for one and says why', async () => {
    await page.goto(url('#/search'));
    await page.locator('#banner:not([hidden])', { hasText: 'needs an API key' }).waitFor();
    await page.locator('#key-form:not([hidden])').waitFor();
    // the page's own call failed with the service's problem+json, shown as such
    const err = page.locator('#search-results .error');
    await err.waitFor();
    assert.match(await err.innerText(), /^Unauthorized: this call needs an API key with scope 'read'/);
    await shot('keys-asked');
  });

  await step('a wrong key shows the problem+json detail and is not kept', async () => {
    await enterKey('not-a-key');
    await page.locator('#banner:not([hidden])', { hasText: 'did not accept that API key (the API key is not valid)' }).waitFor();
    await page.locator('#search-results .error', { hasText: 'the API key is not valid' }).waitFor();
    assert.equal(await storedKey(), null);
    assert.equal(await page.locator('#key-button').innerText(), 'API key');
    await shot('keys-wrong');
  });

  await step('the right key is kept in session storage and every page works', async () => {
    await enterKey('admin-key-1');
    await page.locator('#search-category option', { hasText: 'coffee' }).waitFor({ state: 'attached' });
    assert.ok(await page.locator('#banner').isHidden());
    assert.equal(await storedKey(), 'admin-key-1');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in local storage');
    assert.deepEqual(await page.context().cookies(), [], 'no cookies');
    assert.equal(await page.locator('#key-button').innerText(), 'API key ✓');
    await page.fill('#q', 'make espresso at home');
    await page.keyboard.press('Enter');
    await page.locator('#search-results li.result').first().waitFor();
    await page.goto(url('#/user/key-user'));
    await page.locator('#feed li').first().waitFor();
    await page.locator('#feed li button[data-action=like]').first().click();
    await page.locator('#history li[data-type=like]').waitFor();
    await page.goto(url('#/jobs'));
    await page.locator('#space-list tr[data-space=content]').waitFor();
    await page.goto(url('#/map'));
    await page.locator('#map-status .empty', { hasText: 'No map saved' }).waitFor();
    await page.click('#map-compute');
    await page.locator('#map-saved').waitFor(); // saving needs the admin scope
    await page.goto(url('#/eval'));
    await page.locator('#eval-result .empty').waitFor();
    assert.equal(await page.locator('.error').count(), 0, 'no page showed an error');
  });

  await step('no key appears in the page or in what the service serves', async () => {
    const html = await page.content();
    for (const key of KEYS) assert.ok(!html.includes(key), `the page's HTML holds ${key}`);
    for (const asset of ['/', '/console/app.js', '/console/api.js', '/console/pages/map.js']) {
      const body = await (await fetch(new URL(asset, base))).text();
      for (const key of KEYS) assert.ok(!body.includes(key), `${asset} holds ${key}`);
    }
    // session storage is per tab: another tab asks again
    const other = await page.context().newPage();
    await other.goto(url('#/search'));
    await other.locator('#key-form:not([hidden])').waitFor();
    assert.equal(await other.evaluate(() => sessionStorage.getItem('embedrec.apiKey')), null);
    await other.close();
  });

  await step('a read-only key is told what it lacks; forgetting the key asks again', async () => {
    await page.click('#key-button');
    await enterKey('reader-key-1');
    await page.goto(url('#/jobs'));
    await page.locator('#job-space option[value=content]').waitFor({ state: 'attached' });
    await page.click('#start-job');
    const err = page.locator('#live-job .error, main .error').first();
    await err.waitFor();
    assert.match(await err.innerText(), /this call needs scope 'admin'; the key has 'read'/);
    await page.locator('#banner:not([hidden])', { hasText: 'not allowed' }).waitFor();
    assert.equal(await storedKey(), 'reader-key-1', 'a key lacking a scope is still a valid key');
    await shot('keys-forbidden');
    await page.click('#key-button');
    await page.click('#key-clear');
    assert.equal(await storedKey(), null);
    await page.locator('#key-form:not([hidden])').waitFor();
  });

  assert.deepEqual(unexpectedErrors(), [], 'no script errors in the page');
} finally {
  await close();
}
console.log('console API-key browser test: all steps passed');
