// Fetch wrapper for the JSON API (same origin, cookie sessions).
// Errors come back as { error: { code, message } }; a network failure is code 'network'.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** seconds from a Retry-After header (429, 503), when the server sent one */
  readonly retryAfterSeconds: number | null;
  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  get offline(): boolean {
    return this.status === 0;
  }
}

function isErrorBody(v: unknown): v is { error: { code: string; message: string } } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (res.status === 204) return undefined as T;
  let data: unknown = undefined;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const ra = Number(res.headers.get('retry-after') ?? NaN);
    const retryAfter = Number.isFinite(ra) && ra >= 0 ? ra : null;
    if (isErrorBody(data)) throw new ApiError(res.status, data.error.code, data.error.message ?? '', retryAfter);
    throw new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`, retryAfter);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
