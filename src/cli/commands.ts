/** The registered commands; each module adds one subcommand to the program. */
import type { Command } from 'commander';
import { registerMine } from './mine.js';
import { registerNode } from './node.js';
import { registerBench } from './bench.js';
import { registerPow } from './pow.js';
import { registerMiner } from './miner.js';
import { registerStats } from './stats.js';
import { registerSend } from './send.js';
import { registerBalance } from './balance.js';
import { registerStress } from './stress.js';
import { registerConfig } from './config.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerMine,
  registerNode,
  registerBench,
  registerPow,
  registerMiner,
  registerStats,
  registerSend,
  registerBalance,
  registerStress,
  registerConfig,
];
