// Unit test of the map projection (console/projection.js) with the vendored umap-js the console ships.
// Run: node --test src/test/js/projection.test.mjs (ProjectionTest runs it in ./mvnw verify).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main/resources/META-INF/resources');
const { project, pca, umapFromSource, decodeVector, placeFromNeighbours, seededRandom, UMAP_PATH } =
  await import(path.join(root, 'console/projection.js'));
const UMAP = umapFromSource(readFileSync(path.join(root, UMAP_PATH), 'utf8'));

/** Two Gaussian clusters in 32-D, centres 10 apart, spread 0.5 per axis: 25 points each. */
function twoClusters() {
  const random = seededRandom(3);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const points = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < 25; i++) {
      points.push(Float32Array.from({ length: 32 }, (_, j) => (j === 0 ? c * 10 : 0) + 0.5 * gauss()));
    }
  }
  return points;
}

const label = (i) => (i < 25 ? 0 : 1);

/** Every point's nearest 2-D neighbour is in its own cluster, and the clusters' bounding boxes do not overlap. */
function assertSeparated(xy) {
  for (let i = 0; i < xy.length; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < xy.length; j++) {
      if (j === i) continue;
      const d = (xy[i][0] - xy[j][0]) ** 2 + (xy[i][1] - xy[j][1]) ** 2;
      if (d < bestD) { bestD = d; best = j; }
    }
    assert.equal(label(best), label(i), `point ${i}'s nearest neighbour ${best} is in the other cluster`);
  }
  const centre = (c) => [0, 1].map((k) => xy.filter((_, i) => label(i) === c).reduce((s, p) => s + p[k], 0) / 25);
  const radius = (c) => Math.max(...xy.filter((_, i) => label(i) === c)
    .map((p) => Math.hypot(p[0] - centre(c)[0], p[1] - centre(c)[1])));
  const gap = Math.hypot(centre(0)[0] - centre(1)[0], centre(0)[1] - centre(1)[1]);
  assert.ok(gap > radius(0) + radius(1), `clusters overlap: centres ${gap} apart, radii ${radius(0)} and ${radius(1)}`);
}

test('umap keeps two well-separated clusters separated', async () => {
  const xy = await project(twoClusters(), { method: 'umap', UMAP });
  assert.equal(xy.length, 50);
  assertSeparated(xy);
});

test('pca keeps two well-separated clusters separated', async () => {
  const xy = await project(twoClusters(), { method: 'pca' });
  assertSeparated(xy);
});

test('pca finds the axis of largest variance first', () => {
  // points on the line y = 2x in 2-D: the first component carries everything, the second nothing
  const xy = pca([[0, 0], [1, 2], [2, 4], [3, 6]].map((p) => Float32Array.from(p)));
  const spread = (k) => Math.max(...xy.map((p) => p[k])) - Math.min(...xy.map((p) => p[k]));
  assert.ok(Math.abs(spread(0) - 3 * Math.sqrt(5)) < 1e-6, `first component spread ${spread(0)}`);
  assert.ok(spread(1) < 1e-6, `second component spread ${spread(1)}`);
});

test('project reports progress up to 1', async () => {
  const seen = [];
  await project(twoClusters(), { method: 'umap', UMAP, onProgress: (f) => seen.push(f) });
  assert.equal(seen.at(-1), 1);
  assert.ok(seen.every((f, i) => i === 0 || f >= seen[i - 1]), 'progress never goes back');
});

test('decodeVector reads little-endian float32 base64', () => {
  const b = Buffer.alloc(8);
  b.writeFloatLE(1.5, 0);
  b.writeFloatLE(-2, 4);
  assert.deepEqual(Array.from(decodeVector(b.toString('base64'))), [1.5, -2]);
});

test('a new point lands at the similarity-weighted mean of its neighbours on the map', () => {
  const positions = new Map([['a', { x: 0, y: 0 }], ['b', { x: 4, y: 0 }]]);
  const p = placeFromNeighbours([{ id: 'a', score: 0.75 }, { id: 'b', score: 0.25 }, { id: 'off-map', score: 1 }],
    positions);
  assert.ok(Math.abs(p.x - 1) < 1e-4 && Math.abs(p.y) < 1e-9, JSON.stringify(p));
  assert.equal(placeFromNeighbours([{ id: 'off-map', score: 1 }], positions), null);
});
