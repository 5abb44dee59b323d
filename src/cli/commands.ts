/** The registered commands; each module adds one subcommand to the program. */
import type { Command } from 'commander';
import { registerMine } from './mine.js';
import { registerBench } from './bench.js';
import { registerPow } from './pow.js';
import { registerStress } from './stress.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerMine,
  registerBench,
  registerPow,
  registerStress,
];
