// The status API as the console uses it: the session's token on every call, problems turned into errors that say
// what to do, reachability reported to one listener (the banner), and SSE read with fetch so the token travels in a
// header (EventSource cannot send one, and a token in a URL ends up in logs).
const TOKEN_KEY = 'jobpipe.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** kind: unreachable | token (401) | forbidden (403) | unavailable (503) | problem (any other 4xx/5xx). */
export class ApiError extends Error {
  constructor(kind, status, problem, message) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.problem = problem;
  }
}

let reachabilityListener = () => {};
export function onReachability(listener) {
  reachabilityListener = listener;
}

function headers(extra = {}) {
  const result = { Accept: 'application/json', ...extra };
  const current = token.get();
  if (current) result.Authorization = 'Bearer ' + current;
  return result;
}

async function send(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const error = new ApiError('unreachable', 0, null,
      "Can't reach the status API at " + location.origin + '. Is status-service running?');
    reachabilityListener(false, error);
    throw error;
  }
  reachabilityListener(true);
  return response;
}

async function failure(response) {
  const problem = await response.json().catch(() => null);
  const detail = (problem && (problem.detail || problem.title)) || response.statusText || 'HTTP ' + response.status;
  if (response.status === 401) return new ApiError('token', 401, problem, detail);
  if (response.status === 403) return new ApiError('forbidden', 403, problem, detail);
  if (response.status === 503) {
    const retry = response.headers.get('Retry-After');
    return new ApiError('unavailable', 503, problem, detail + (retry ? ' Retrying in ' + retry + ' s.' : ''));
  }
  return new ApiError('problem', response.status, problem, detail);
}

export async function get(path, { signal } = {}) {
  const response = await send(path, { headers: headers(), signal });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function post(path, body) {
  const response = await send(path, {
    method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

/**
 * Follows an SSE stream: onEvent({id, type, data}) per message. Reconnects after a drop with Last-Event-ID, so
 * nothing is missed; a stream the server ended (a finished job's) stays ended unless `reopen` is set.
 * Returns {close()}.
 */
export function follow(path, { onEvent, onState = () => {}, onError = () => {}, reopen = false, lastEventId = null }) {
  let closed = false;
  let lastId = lastEventId;
  let controller = null;

  async function connect() {
    controller = new AbortController();
    const extra = { Accept: 'text/event-stream' };
    if (lastId !== null) extra['Last-Event-ID'] = lastId;
    let response;
    try {
      response = await send(path, { headers: headers(extra), signal: controller.signal });
    } catch (e) {
      if (closed) return;
      onState('retrying');
      return retry();
    }
    if (!response.ok) {
      const error = await failure(response);
      onError(error);
      if (error.kind === 'unavailable' || error.status === 429) return retry(5000);
      onState('stopped');
      return;
    }
    onState('live');
    try {
      await read(response.body.getReader());
      if (closed) return;
      if (!reopen) {
        onState('ended');
        return;
      }
    } catch (e) {
      if (closed) return;
    }
    onState('retrying');
    retry();
  }

  function retry(delay = 2000) {
    if (!closed) setTimeout(() => { if (!closed) connect(); }, delay);
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let message = { id: null, type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (message.data.length) {
            if (message.id !== null) lastId = message.id;
            onEvent({ id: message.id, type: message.type, data: JSON.parse(message.data.join('\n')) });
          }
          message = { id: null, type: 'message', data: [] };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') message.id = text;
          else if (field === 'event') message.type = text;
          else if (field === 'data') message.data.push(text);
        }
      }
    }
  }

  connect();
  return {
    close() {
      closed = true;
      if (controller) controller.abort();
    },
  };
}

/** A query string from the non-empty fields of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && String(value).trim() !== '') search.set(key, String(value).trim());
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
