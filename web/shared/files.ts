// Files to and from the API (same origin, cookie sessions): a raw upload whose type is the
// Content-Type header, and a download saved under the name the server gives. Failures are
// ApiErrors, like the JSON client's.
import { ApiError } from './api.ts';

async function failure(res: Response): Promise<ApiError> {
  let data: unknown;
  try {
    data = JSON.parse(await res.text());
  } catch {
    data = undefined;
  }
  const e = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string') return new ApiError(res.status, e.code, typeof e.message === 'string' ? e.message : '');
  return new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`);
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { credentials: 'same-origin', ...init });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
}

/** POST a file as the request body (its type in Content-Type); the JSON answer. */
export async function postFile<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const res = await send(path, { method: 'POST', headers: { accept: 'application/json', 'content-type': contentType }, body: file });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** The file name in a Content-Disposition header, if any. */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]!.trim());
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1]!.trim() : null;
}

/** GET a file and hand it to the browser as a download; returns the name it was saved under. */
export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const res = await send(path, { method: 'GET' });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const name = dispositionName(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // give the browser a moment to start the download before the URL goes
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}
