import { createContext, useCallback, useContext, useEffect, useState } from 'react';

/** An answer of the API other than 2xx: its status and the error body (`{ error, message, details }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string } | undefined,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

export type TokenGetter = () => Promise<string | null>;
export type Query = Record<string, string | number | boolean | undefined | null>;

/** The one place the app talks to Tend's HTTP API: every request carries the token the getter gives. */
export function createApi(getToken: TokenGetter, base = '') {
  async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = new URL(base + path, window.location.origin);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    const token = await getToken();
    const res = await fetch(url, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new ApiError(res.status, parsed as ApiError['body']);
    return parsed as T;
  }
  // Reads started before the page asks for them (the first page's figures, while sign-in finishes): each is used once.
  const early = new Map<string, Promise<unknown>>();
  const keyOf = (path: string, query?: Query) => `${path}?${JSON.stringify(query ?? {})}`;
  return {
    get: <T>(path: string, query?: Query): Promise<T> => {
      const started = early.get(keyOf(path, query));
      early.delete(keyOf(path, query));
      return (started as Promise<T> | undefined) ?? request<T>('GET', path, undefined, query);
    },
    prefetch: (path: string, query?: Query) => {
      const p = request('GET', path, undefined, query);
      p.catch(() => {});
      early.set(keyOf(path, query), p);
    },
    post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
    base,
  };
}
export type Api = ReturnType<typeof createApi>;

export const ApiContext = createContext<Api | null>(null);
export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext>');
  return api;
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** GET `path` with `query` on mount and whenever either changes; `loading` from the render that changed them. */
export function useGet<T>(path: string | null, query?: Query): Loaded<T> {
  const api = useApi();
  const [state, setState] = useState<{ data?: T; error?: Error; forKey?: string }>({});
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify(query ?? {});
  const want = `${path}|${key}|${nonce}`;
  useEffect(() => {
    if (!path) return;
    let live = true;
    api.get<T>(path, JSON.parse(key) as Query).then(
      (data) => live && setState({ data, forKey: want }),
      (error: Error) => live && setState({ error, forKey: want }),
    );
    return () => {
      live = false;
    };
  }, [api, path, key, want]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data: state.data, error: state.forKey === want ? state.error : undefined, loading: state.forKey !== want, reload };
}
