// A caller of the local stack over HTTP, as a client sends JSON: the answer's status and its body read as JSON
// (or as `{ text }` when it is not).

export interface Answer { status: number; json: Record<string, unknown> & { errors?: { path: string; message: string }[] } }
export interface CallOptions { body?: unknown; token?: string; headers?: Record<string, string> }

export const caller = (baseUrl: () => string) => async (method: string, path: string, o: CallOptions = {}): Promise<Answer> => {
  const res = await fetch(`${baseUrl()}${path}`, {
    method, body: o.body === undefined ? undefined : JSON.stringify(o.body),
    headers: { ...(o.body === undefined ? {} : { 'content-type': 'application/json' }), ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : { text } };
};
