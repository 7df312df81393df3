// 2-D projection of item vectors for the embedding map. Pure functions (no DOM, no fetch of our API), so the same
// module runs in the map's Web Worker and in the Node unit test (src/test/js/projection.test.mjs).

export const UMAP_PATH = '/vendor/umap-js-1.4.0/umap-js.min.js';

/** Evaluates the vendored UMD bundle of umap-js and returns its UMAP class (module workers cannot importScripts). */
export function umapFromSource(source) {
  const module = { exports: {} };
  // The bundle assigns module.exports when both `exports` and `module` are objects.
  new Function('module', 'exports', source)(module, module.exports);
  return module.exports.UMAP;
}

/** Decodes base64 little-endian float32 (the /v1/spaces/{name}/sample format) into a Float32Array. */
export function decodeVector(base64) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** A small seeded generator (mulberry32), so a map computed twice from the same sample looks the same. */
export function seededRandom(seed = 42) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * First two principal components by power iteration on the centred data (deflating after the first), which needs
 * only matrix-vector products: O(iterations × n × d), no d × d covariance matrix.
 */
export function pca(vectors, iterations = 60) {
  const n = vectors.length;
  if (n === 0) return [];
  const d = vectors[0].length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / n;
  const centred = vectors.map((v) => {
    const c = new Float64Array(d);
    for (let j = 0; j < d; j++) c[j] = v[j] - mean[j];
    return c;
  });
  const random = seededRandom(7);
  const components = [];
  const orthogonalise = (v) => { // Gram-Schmidt against the components already found; returns the norm left
    for (const prev of components) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[j] * prev[j];
      for (let j = 0; j < d; j++) v[j] -= dot * prev[j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += v[j] * v[j];
    return Math.sqrt(norm);
  };
  for (let c = 0; c < 2; c++) {
    let w = new Float64Array(d).map(() => random() - 0.5);
    const n0 = orthogonalise(w);
    for (let j = 0; j < d; j++) w[j] /= n0;
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(d);
      for (const x of centred) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += x[j] * w[j];
        for (let j = 0; j < d; j++) next[j] += dot * x[j];
      }
      const norm = orthogonalise(next);
      // no variance left orthogonal to the earlier components: any orthogonal direction (w) will do
      if (norm < 1e-9) break;
      for (let j = 0; j < d; j++) next[j] /= norm;
      w = next;
    }
    components.push(w);
  }
  return centred.map((x) => components.map((w) => {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += x[j] * w[j];
    return dot;
  }));
}

/**
 * Distance computations umap-js' nearest-neighbour descent makes for n points with k = 15: counted on clustered
 * 384-d samples of 5,000, 10,000 and 20,000 points (450, 548 and 649 per point, growing with log2 n). Only an
 * estimate for the progress bar; the bar never passes the phase's end on it.
 */
export function expectedDistanceCalls(n) {
  return n * Math.max(100, 100 * Math.log2(Math.max(2, n)) - 780);
}

/** Where each UMAP phase sits on one progress bar, from their shares of the time at 20,000 points. */
export const UMAP_PHASES = { neighbours: [0, 0.32], graph: [0.32, 0.5], layout: [0.5, 1] };

/**
 * Projects vectors to 2-D. method 'umap' (needs the UMAP class) or 'pca'. onProgress(fraction, phase) is called
 * while it runs (fraction of the whole run; UMAP's phases are 'neighbours', 'graph' and 'layout'). Returns
 * [[x, y], ...] in input order.
 */
export async function project(vectors, { method = 'umap', UMAP, onProgress = () => {}, seed = 42 } = {}) {
  if (vectors.length < 3 || method === 'pca') {
    onProgress(0, 'pca');
    const out = vectors.length === 0 ? [] : pca(vectors);
    onProgress(1, 'pca');
    return out.map((p) => (p.length === 2 ? p : [0, 0]));
  }
  if (!UMAP) throw new Error('UMAP implementation not loaded');
  const nNeighbors = Math.max(2, Math.min(15, vectors.length - 1));
  const at = (phase, f) => UMAP_PHASES[phase][0] + f * (UMAP_PHASES[phase][1] - UMAP_PHASES[phase][0]);
  // umap-js' own Euclidean distance, counted: the neighbour search is one synchronous call (a third of the time at
  // 20,000 points), and counting its distance computations is the only way to report progress from inside it.
  const expected = expectedDistanceCalls(vectors.length);
  let calls = 0;
  const distanceFn = (x, y) => {
    if ((++calls & 0xffff) === 0) onProgress(at('neighbours', Math.min(0.95, calls / expected)), 'neighbours');
    let s = 0;
    for (let i = 0; i < x.length; i++) { const d = x[i] - y[i]; s += d * d; }
    return Math.sqrt(s);
  };
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: 0.1, random: seededRandom(seed), distanceFn });
  // The search graph umap-js builds at the end of initializeFit only serves transform(), which the map never calls
  // (new points are placed from their neighbours instead): skipping it saves 2 s of 60 at 20,000 points (1.4.0).
  umap.makeSearchGraph = () => null;
  const arrays = vectors.map((v) => Array.from(v));
  onProgress(0, 'neighbours');
  const knn = umap.nearestNeighbors(arrays);
  umap.setPrecomputedKNN(knn.knnIndices, knn.knnDistances);
  onProgress(at('graph', 0), 'graph');
  await new Promise((r) => setTimeout(r, 0)); // let progress messages out
  const epochs = umap.initializeFit(arrays);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % 5 === 0) {
      onProgress(at('layout', e / epochs), 'layout');
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  onProgress(1, 'layout');
  return umap.getEmbedding();
}

/**
 * Places a new point (a user, an item outside the sample) from its nearest neighbours that are on the map: the mean
 * of their positions weighted by similarity (negative similarities count as 0). null when none is on the map.
 */
export function placeFromNeighbours(neighbours, positions) {
  let x = 0;
  let y = 0;
  let total = 0;
  for (const { id, score } of neighbours) {
    const p = positions.get(id);
    if (!p) continue;
    const w = Math.max(0, score ?? 1) + 1e-6;
    x += w * p.x;
    y += w * p.y;
    total += w;
  }
  return total === 0 ? null : { x: x / total, y: y / total };
}
