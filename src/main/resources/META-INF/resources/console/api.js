// The console's only way to the service: the public /v1 API, with the person's API key (session storage) if any.

const KEY = 'embedrec.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An error answer; message is built from the problem+json body (title, detail, errors) a person can act on. */
export class ApiError extends Error {
  constructor(status, body) {
    const problem = typeof body === 'object' && body ? body : { detail: String(body || '') };
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const key = apiKey.get();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

async function request(method, path, body) {
  const key = apiKey.get();
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { title: 'Service unreachable', detail: `could not reach the service (${e.message})` });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 || res.status === 403) window.dispatchEvent(new CustomEvent('embedrec:auth', { detail: { error: err, key } }));
    throw err;
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
};

/** Builds a query string, skipping empty values; arrays repeat the name. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Reads a Server-Sent Events stream with fetch (EventSource cannot send an Authorization header) and calls onData
 * with each event's JSON data. Resolves when the stream ends; abort with signal.
 */
export async function streamEvents(path, onData, signal) {
  const res = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!res.ok) {
    const type = res.headers.get('content-type') || '';
    throw new ApiError(res.status, type.includes('json') ? await res.json().catch(() => null) : await res.text());
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = chunk.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) onData(JSON.parse(data));
    }
  }
}
