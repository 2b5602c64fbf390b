import { EventEmitter } from 'node:events';

/** One DynamoDB JSON-protocol exchange, as it would cross the wire. */
export interface WireRequest {
  method?: string;
  path: string;
  /** Lower-case header names (Node's IncomingMessage convention, which dynalite reads). */
  headers: Record<string, string>;
  body: string;
}

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What LocalDynamo and dynalite's thread exchange: the requests (or answers) of one event-loop turn, in one message. */
export type RequestBatch = { id: number; request: WireRequest }[];
export type AnswerBatch = { id: number; response: WireResponse }[];

type RequestListener = (req: unknown, res: unknown) => void;

/**
 * Hands a request to dynalite's own HTTP request listener with an in-memory request/response
 * pair: dynalite validates, runs and answers exactly as it does over a socket, without the
 * loopback connection, the HTTP parser or the event-loop turns around them.
 */
export function callDynalite(listener: RequestListener, request: WireRequest): Promise<WireResponse> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
      end: (body?: string) => resolve({ statusCode: res.statusCode, headers, body: body ?? '' }),
    };
    const req = Object.assign(new EventEmitter(), { method: request.method ?? 'POST', url: request.path, headers: request.headers });
    try {
      listener(req, res);
      req.emit('data', request.body);
      req.emit('end');
    } catch (err) {
      // dynalite throws what it does not expect (a socket server would crash); answer as DynamoDB's 500 would.
      resolve({
        statusCode: 500,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(err) }),
      });
    }
  });
}
