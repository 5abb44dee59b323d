/**
 * The sync benchmark's peers in a process of their own (bench/sync.ts forks it), as peers are in
 * a real network: serving costs the syncing node's thread nothing. Receives `{ dump, servers }`
 * over IPC (advanced serialization, so bytes stay bytes), answers with each server's URL and node
 * id, and closes everything on the next message.
 */
import { serveChains, type ChainDump, type ServerOptions } from './syncPeers.js';

export interface ServeRequest {
  readonly dump: ChainDump;
  readonly servers: readonly ServerOptions[];
}

export interface ServeReply {
  readonly peers: ReadonlyArray<{ readonly url: string; readonly nodeId: Uint8Array }>;
}

// The benchmark gone (finished or killed): nothing left to serve.
process.once('disconnect', () => process.exit(0));

process.once('message', (m: ServeRequest) => {
  void serveChains(m.dump, m.servers).then((servers) => {
    const reply: ServeReply = { peers: servers.map((s) => ({ url: s.url, nodeId: s.nodeId })) };
    process.send!(reply);
    process.once('message', () => {
      void Promise.all(servers.map((s) => s.net.close())).finally(() => process.exit(0));
    });
  });
});
