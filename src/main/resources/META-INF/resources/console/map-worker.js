// Module worker: projects a vector sample off the page's thread. Receives {vectors: [base64...], method};
// posts {type: 'progress', fraction, phase}, then {type: 'done', points: [[x, y]...]} or {type: 'error', message}.
import { UMAP_PATH, decodeVector, project, umapFromSource } from './projection.js';

self.onmessage = async ({ data }) => {
  try {
    const vectors = data.vectors.map(decodeVector);
    let UMAP;
    if (data.method === 'umap') {
      const res = await fetch(UMAP_PATH);
      if (!res.ok) throw new Error(`could not load ${UMAP_PATH}: HTTP ${res.status}`);
      UMAP = umapFromSource(await res.text());
    }
    const points = await project(vectors, {
      method: data.method,
      UMAP,
      onProgress: (fraction, phase) => self.postMessage({ type: 'progress', fraction, phase }),
    });
    self.postMessage({ type: 'done', points });
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e && e.message ? e.message : e) });
  }
};
