/** The registered commands; each module adds one subcommand to the program. */
import type { Command } from 'commander';
import { registerMine } from './mine.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerMine,
];
