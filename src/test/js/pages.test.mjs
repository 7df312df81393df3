// Unit tests of the pure parts of console pages: the jobs page's background-embedding progress (pages/jobs.js
// backlog()) and the item page's availability line (pages/item.js availability()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main/resources/META-INF/resources');
const { backlog } = await import(path.join(root, 'console/pages/jobs.js'));
const { availability } = await import(path.join(root, 'console/pages/item.js'));

test('a first poll shows the share done and measures the rate on the next', () => {
  const first = backlog({ ready: 250, pending: 750, failed: 0 }, undefined, 10_000);
  assert.equal(first.percent, 25);
  assert.equal(first.rate, null);
  assert.equal(first.text, '250 of 1000 (25%) · measuring the rate…');
  // 3 s later 60 more are ready: 20 items/s, 690 left: 35 s
  const next = backlog({ ready: 310, pending: 690, failed: 0 }, { done: first.done, at: 10_000 }, 13_000);
  assert.equal(next.rate, 20);
  assert.equal(next.eta, 34.5);
  assert.equal(next.text, '310 of 1000 (31%) · 20.0 items/s · ETA 35 s');
});

test('failed items count as done, a stalled queue says so, and long waits read in minutes', () => {
  const stalled = backlog({ ready: 10, pending: 80, failed: 10 }, { done: 20, at: 0 }, 3000);
  assert.equal(stalled.percent, 20);
  assert.equal(stalled.text, '20 of 100 (20%), 10 failed · waiting for the workers');
  const slow = backlog({ ready: 101, pending: 9000, failed: 0 }, { done: 100, at: 0 }, 1000);
  assert.equal(slow.text, '101 of 9101 (1%) · 1.0 items/s · ETA 150 min');
  assert.equal(backlog({ ready: 0, pending: 0, failed: 0 }).percent, 100);
});

test('an item is on offer when available and inside its window', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  assert.equal(availability({ available: true }, now), 'On offer');
  assert.match(availability({ available: false }, now), /^Not on offer: never recommended \(marked unavailable\)$/);
  assert.match(availability({ available: true, available_from: '2026-12-24T00:00:00Z' }, now), /^Not on offer: .* · sale window from /);
  assert.match(availability({ available: true, available_until: '2026-12-31T00:00:00Z' }, now), /^On offer · sale window until /);
});
