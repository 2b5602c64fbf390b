import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CloudAssembly } from './assembly.ts';
import { LOCAL_ACCOUNT } from './assembly.ts';
import type { LambdaHost } from './lambdas.ts';
import type { VirtualClock } from './clock.ts';

interface Route {
  routeKey: string;
  method: string;
  pattern: RegExp;
  params: string[];
  functionArn: string;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A malformed escape (`%ZZ`) is passed on as sent, as API Gateway does, rather than failing the request. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The HTTP API's routes, read from the template's AWS::ApiGatewayV2::Route and Integration resources. */
export function routesOf(assembly: CloudAssembly): Route[] {
  const routes: Route[] = [];
  for (const { stack, resource } of assembly.resources('AWS::ApiGatewayV2::Route')) {
    const p = resource.Properties as { RouteKey: string; Target: unknown };
    const integrationId = String(assembly.resolve(stack, p.Target))
      .replace(/^integrations\//, '')
      .replace(`${stack}-`, '');
    const integration = assembly.stacks.get(stack)!.Resources[integrationId];
    const functionArn = String(assembly.resolve(stack, integration?.Properties?.IntegrationUri));
    const [method, path] = p.RouteKey.split(' ') as [string, string];
    const params: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
        params.push(name);
        return '([^/]+)';
      })}$`,
    );
    routes.push({ routeKey: p.RouteKey, method, pattern, params, functionArn });
  }
  return routes;
}

/** Serves the routes with API Gateway v2's event and response shapes, invoking the bundled handler. */
export function httpApi(routes: Route[], lambdas: LambdaHost, clock: VirtualClock) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const route = routes.map((r) => ({ r, m: req.method === r.method ? url.pathname.match(r.pattern) : null })).find((x) => x.m);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!route) return reply(404, { message: 'Not Found' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) return reply(413, { message: 'Request Entity Too Large' });
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const now = clock.now();
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: route.r.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
      pathParameters: route.r.params.length ? Object.fromEntries(route.r.params.map((p, i) => [p, safeDecode(route.m![i + 1]!)])) : undefined,
      requestContext: {
        accountId: LOCAL_ACCOUNT,
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method: req.method!,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: route.r.routeKey,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
      body: body || undefined,
      isBase64Encoded: false,
    };
    try {
      const result = (await lambdas.invoke(route.r.functionArn, event)) as
        { statusCode?: number; headers?: Record<string, string>; body?: string } | string | undefined;
      if (result && typeof result === 'object' && 'statusCode' in result) {
        res.writeHead(result.statusCode ?? 200, result.headers ?? {});
        res.end(result.body ?? '');
      } else reply(200, result ?? null);
    } catch {
      // What API Gateway answers when the integration fails.
      reply(500, { message: 'Internal Server Error' });
    }
  };
}
