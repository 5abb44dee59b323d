/** The shard thread's load (`load`): event-loop busy share since the thread started, and its memory. */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { collectGarbage } from '../core/collectGarbage.js';
import { recoveryCount } from '../crypto/keys.js';
import { osThreadId } from '../pow/threadCpu.js';
import type { ThreadLoad } from './protocol.js';

const MB = 2 ** 20;

export class ThreadMeter {
  private readonly elu: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly tid = osThreadId();

  /** `gc`: a full collection first (with `--expose-gc`), so the heap shows live data only. */
  load(gc = false): ThreadLoad {
    if (gc) collectGarbage();
    const m = process.memoryUsage();
    return {
      busy: performance.eventLoopUtilization(this.elu).utilization, heapUsedMB: m.heapUsed / MB,
      heapTotalMB: m.heapTotal / MB, arrayBuffersMB: m.arrayBuffers / MB,
      osThreadId: this.tid, recoveries: recoveryCount(),
    };
  }
}
