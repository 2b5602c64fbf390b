import type { HttpEvent, HttpResult } from '../../shared/http.ts';
import type { ApiRouteKey } from '../routes.ts';

/** What serves one route of the API: the event in (authenticated, its query's names checked), the response out. */
export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

/** A module of routes (functions/api/served/*): loaded on the first request of one of them, a chunk of the API's bundle. */
export type RoutesServed = Partial<Record<ApiRouteKey, RouteHandler>>;
