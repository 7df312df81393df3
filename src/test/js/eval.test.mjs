// Unit test of how the evaluation page reads a job's result (pages/eval.js strategies()): the evaluation API is
// built on another branch, so the page accepts the plausible shapes and must read each the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main/resources/META-INF/resources');
const { strategies } = await import(path.join(root, 'console/pages/eval.js'));
const expected = [{ name: 'engine', recall: 0.5, ndcg: 0.25 }, { name: 'popular', recall: 0.125, ndcg: 0 }];

test('a map of strategy name to metrics', () => {
  assert.deepEqual(strategies({ k: 10, strategies: { engine: { recall_at_k: 0.5, ndcg_at_k: 0.25 }, popular: { recall_at_k: 0.125, ndcg_at_k: 0 } } }), expected);
});

test('a list of strategies with metrics keyed by k', () => {
  assert.deepEqual(strategies({ strategies: [{ name: 'engine', recall: { 10: 0.5 }, ndcg: { 10: 0.25 } }, { strategy: 'popular', recall: { 10: 0.125 }, ndcg: { 10: 0 } }] }), expected);
});

test('no result or no metrics gives no rows', () => {
  assert.deepEqual(strategies(null), []);
  assert.deepEqual(strategies({ strategies: { engine: { users: 3 } } }), []);
});
