// The README's console screenshots from the demo catalog (DocScreenshots loads it and runs this).
// Usage: node doc-screenshots.mjs <base-url> <dir>: writes <dir>/console-map.png and <dir>/console-user.png.
import assert from 'node:assert/strict';
import { openConsole } from './browser.mjs';

const [base = 'http://localhost:8080/', dir = 'docs'] = process.argv.slice(2);
const { page, url, shot, step, close } = await openConsole(base, dir);
const user = 'demo-user-0007';

try {
  await step('the map of the demo catalog with a user and a hovered title', async () => {
    await page.goto(url('#/map'));
    await page.locator('#map-status .empty').waitFor();
    await page.click('#map-compute');
    await page.locator('#map-saved').waitFor({ timeout: 300_000 });
    await page.fill('#map-user', user);
    await page.press('#map-user', 'Enter');
    await page.locator('#map-overlay-msg', { hasText: 'red dot' }).waitFor();
    const ids = await page.evaluate(() => window.embedrecMap.ids());
    const hovered = ['gimp', 'inkscape', 'krita', 'vim', 'emacs'].find((id) => ids.includes(id)) || ids[0];
    const pos = await page.evaluate((id) => window.embedrecMap.screenOf(id), hovered);
    const box = await page.locator('#map-canvas').boundingBox();
    await page.mouse.move(box.x + pos.x, box.y + pos.y);
    await page.locator('#map-tooltip:not([hidden])').waitFor();
    await shot('console-map');
  });

  await step('a demo user\'s history and feed right after a Like', async () => {
    await page.goto(url(`#/user/${user}`));
    await page.locator('#feed li').first().waitFor();
    await page.locator('#history li').first().waitFor();
    const liked = await page.locator('#feed li').nth(2).getAttribute('data-id');
    await page.locator(`#feed li[data-id="${liked}"] button[data-action=like]`).click();
    await page.locator(`#history li[data-type=like][data-item="${liked}"]`).waitFor();
    await page.waitForFunction((id) => ![...document.querySelectorAll('#feed li')].some((li) => li.dataset.id === id), liked);
    assert.ok(await page.locator('#history li').count() > 1);
    await shot('console-user');
  });
} finally {
  await close();
}
