// Unit test of how the evaluation page reads a job's result (pages/eval.js recommenders()): the result of
// POST /v1/evaluations as GET /v1/jobs/{id} returns it (OfflineEvaluation.Outcome in snake case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main/resources/META-INF/resources');
const { recommenders } = await import(path.join(root, 'console/pages/eval.js'));

test('each recommender row of the result becomes a chart row', () => {
  const result = { k: 10, users: { evaluated: 52 }, recommenders: [
    { name: 'engine', recall: 0.731, ndcg: 0.457, hit_rate: 0.9, coverage: 1, cold_hits: 3 },
    { name: 'most_popular', recall: 0.298, ndcg: 0.13, hit_rate: 0.5, coverage: 0.25, cold_hits: 0 },
    { name: 'random', recall: 0.279, ndcg: 0.127, hit_rate: 0.4, coverage: 1 }] };
  assert.deepEqual(recommenders(result), [
    { name: 'engine', recall: 0.731, ndcg: 0.457, hitRate: 0.9, coverage: 1, coldHits: 3 },
    { name: 'most_popular', recall: 0.298, ndcg: 0.13, hitRate: 0.5, coverage: 0.25, coldHits: 0 },
    { name: 'random', recall: 0.279, ndcg: 0.127, hitRate: 0.4, coverage: 1, coldHits: 0 }]);
});

test('no result gives no rows', () => {
  assert.deepEqual(recommenders(null), []);
  assert.deepEqual(recommenders({ k: 10 }), []);
});
