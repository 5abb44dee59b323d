/**
 * The JSON-RPC server (DESIGN §11): HTTP POST and WebSocket (`ws`) on one port, with limits on
 * body size, batch length, requests in flight, connections and slow WebSocket readers. Every
 * reply body is JSON-RPC; nothing a client sends can throw out of a handler. Port 0 binds a
 * free port (`port` tells which).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { internal } from '../core/errors.js';
import { isLoopback } from '../core/netAddress.js';
import type { CallContext, MethodTable, RpcNode } from './context.js';
import { DEFAULT_MAX_BATCH, errorReply, handleMessage } from './dispatch.js';
import { INVALID_REQUEST, LIMIT_EXCEEDED, RpcError } from './errors.js';
import type { Session, SubscriptionHub } from './subscriptions.js';
import type { GetHandler } from './dashboard/httpRoutes.js';

export interface RpcLimits {
  /** Largest request body or WebSocket message (bytes). */
  readonly maxBodyBytes: number;
  readonly maxBatch: number;
  /** Requests (HTTP bodies or WebSocket messages) being handled at once; more get −32005. */
  readonly maxConcurrent: number;
  readonly maxWsClients: number;
  /** A request must arrive whole (headers and body) within this time, or its socket is closed. */
  readonly requestTimeoutMs: number;
  /** Its headers within this time. */
  readonly headersTimeoutMs: number;
}

export const DEFAULT_LIMITS: RpcLimits = {
  // 1 MiB: a batch of 100 raw transactions is ~40 KiB; QuarkChain allows 16 MiB, which no method here needs.
  maxBodyBytes: 1 << 20,
  maxBatch: DEFAULT_MAX_BATCH,
  // Enough for a miner, a stats tool and a few wallets; beyond it a client retries instead of queueing shard tasks.
  maxConcurrent: 64,
  maxWsClients: 64,
  // The README's promise: a request arrives whole within 30 s (a 1 MiB body at 35 kB/s).
  requestTimeoutMs: 30_000,
  // Headers are a few hundred bytes: a client that needs more than 5 s for them is stalling.
  headersTimeoutMs: 5_000,
};

/**
 * HTTP connections at once (keep-alive clients included). An idle socket costs a few kB, so
 * the cap is high: hundreds of slow clients cannot take every slot before their deadline closes them.
 */
const MAX_CONNECTIONS = 4_096;
/** Connections from one non-loopback address (local tools and tests all share 127.0.0.1 and are not capped). */
const MAX_CONNECTIONS_PER_ADDRESS = 64;
/** How often Node checks the request deadlines (its default, 30 s, would let a slow socket live up to twice the timeout). */
const DEADLINE_CHECK_MS = 500;
/** An oversize body is read and discarded up to this multiple of the limit, then the socket is cut. */
const DISCARD_FACTOR = 16;
/** A WebSocket client whose unsent replies and notifications exceed this is disconnected. */
const MAX_WS_BUFFERED_BYTES = 8 << 20;
/** WebSocket close codes (RFC 6455): 1013 try again later. */
const WS_TRY_LATER = 1013;

export interface RpcServerOptions {
  readonly host: string;
  readonly port: number;
  readonly methods: MethodTable;
  readonly node: RpcNode;
  readonly privateAllowed: boolean;
  /** WebSocket subscriptions; null serves WebSocket calls without them. */
  readonly hub: SubscriptionHub | null;
  readonly limits?: Partial<RpcLimits>;
  /** For messages: "rpc" or "rpc (private)". */
  readonly label?: string;
  /** The flag that sets this port, for the port-in-use advice (default `--rpc-port`). */
  readonly portFlag?: string;
  /** GET and HEAD (the dashboard, /metrics); absent: GET is 405 like any other method but POST. */
  readonly get?: GetHandler | null;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};

function rawText(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}

export class RpcServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly limits: RpcLimits;
  private inFlight = 0;

  private constructor(private readonly o: RpcServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.http = createServer({
      requestTimeout: this.limits.requestTimeoutMs, headersTimeout: this.limits.headersTimeoutMs, connectionsCheckingInterval: DEADLINE_CHECK_MS,
    }, (req, res) => this.onRequest(req, res));
    this.http.maxConnections = MAX_CONNECTIONS;
    this.http.on('connection', (socket) => this.admitSocket(socket));
    // A malformed or late request: answer if the socket can still take it, then close it whole (a
    // half-closed socket left to a client that never ends its side would outlive the deadline).
    this.http.on('clientError', (e: NodeJS.ErrnoException, socket) => {
      const status = e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`, () => socket.destroy());
      else socket.destroy();
    });
    this.wss = new WebSocketServer({ server: this.http, maxPayload: this.limits.maxBodyBytes });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    this.wss.on('error', () => undefined);
  }

  /** Per-address cap for non-loopback clients: past it the socket is closed at once. */
  private readonly perAddress = new Map<string, number>();

  private admitSocket(socket: Socket): void {
    const addr = socket.remoteAddress ?? '';
    if (isLoopback(addr)) return;
    const n = (this.perAddress.get(addr) ?? 0) + 1;
    if (n > MAX_CONNECTIONS_PER_ADDRESS) {
      socket.destroy();
      return;
    }
    this.perAddress.set(addr, n);
    socket.once('close', () => {
      const left = (this.perAddress.get(addr) ?? 1) - 1;
      if (left > 0) this.perAddress.set(addr, left);
      else this.perAddress.delete(addr);
    });
  }

  /** Binds host:port; a port in use is a coded error naming it. */
  static listen(o: RpcServerOptions): Promise<RpcServer> {
    const s = new RpcServer(o);
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        const what = `${o.label ?? 'rpc'}: cannot listen on ${o.host}:${o.port}`;
        const todo = `another node may be running: stop it, or pass --ports-offset 1, ${o.portFlag ?? '--rpc-port'} 0 (any free port) or --no-rpc`;
        reject(e.code === 'EADDRINUSE' ? internal('PORT_IN_USE', `${what}: the port is in use; ${todo}`) : internal('LISTEN_FAILED', `${what}: ${e.message}`));
      };
      s.http.once('error', onError);
      s.http.listen(o.port, o.host, () => {
        s.http.off('error', onError);
        s.http.on('error', () => undefined);
        resolve(s);
      });
    });
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    const h = this.o.host.includes(':') ? `[${this.o.host}]` : this.o.host;
    return `http://${h}:${this.port}`;
  }

  private context(session: Session | null): CallContext {
    return { node: this.o.node, privateAllowed: this.o.privateAllowed, session };
  }

  /** Runs one message under the in-flight limit. */
  private async handle(text: string, session: Session | null): Promise<string | null> {
    if (this.inFlight >= this.limits.maxConcurrent) {
      return JSON.stringify(errorReply(null, new RpcError(LIMIT_EXCEEDED, `more than ${this.limits.maxConcurrent} requests in flight; retry later`)));
    }
    this.inFlight++;
    try {
      return await handleMessage(text, this.o.methods, this.context(session), this.limits.maxBatch);
    } finally {
      this.inFlight--;
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const send = (status: number, body: string | null, extra: Record<string, string> = {}): void => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...CORS_HEADERS, ...(body === null ? {} : { 'Content-Type': 'application/json' }), ...extra });
      res.end(body ?? undefined);
    };
    if (req.method === 'OPTIONS') { send(204, null); req.resume(); return; }
    if ((req.method === 'GET' || req.method === 'HEAD') && this.o.get) {
      req.resume();
      void this.o.get(req.url ?? '/').then((r) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(r.status, r.headers);
        res.end(req.method === 'HEAD' ? undefined : r.body);
      }, () => send(500, null));
      return;
    }
    if (req.method !== 'POST') {
      const allow = this.o.get ? 'GET, HEAD, POST, OPTIONS' : 'POST, OPTIONS';
      send(405, JSON.stringify(errorReply(null, new RpcError(INVALID_REQUEST, 'use HTTP POST, or a WebSocket upgrade'))), { Allow: allow });
      req.resume();
      return;
    }
    const max = this.limits.maxBodyBytes;
    const tooLarge = (): void => send(413, JSON.stringify(errorReply(null, new RpcError(INVALID_REQUEST, `request body exceeds ${max} bytes`))), { Connection: 'close' });
    let size = 0;
    let over = Number(req.headers['content-length'] ?? 0) > max;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (!over && size > max) { over = true; chunks.length = 0; }
      if (!over) chunks.push(c);
      else if (size > max * DISCARD_FACTOR) { tooLarge(); req.socket.destroy(); }
    });
    req.on('end', () => {
      if (over) { tooLarge(); return; }
      void this.handle(Buffer.concat(chunks).toString('utf8'), null).then((out) => send(out === null ? 204 : 200, out), () => send(500, null));
    });
  }

  private onSocket(ws: WebSocket): void {
    ws.on('error', () => ws.terminate());
    if (this.wss.clients.size > this.limits.maxWsClients) { ws.close(WS_TRY_LATER, 'too many connections'); return; }
    const sendText = (text: string): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_WS_BUFFERED_BYTES) { ws.terminate(); return; }
      ws.send(text);
    };
    const session = this.o.hub ? this.o.hub.open(sendText) : null;
    ws.on('close', () => session?.close());
    ws.on('message', (raw) => {
      void this.handle(rawText(raw), session).then((out) => { if (out !== null) sendText(out); }, () => undefined);
    });
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
