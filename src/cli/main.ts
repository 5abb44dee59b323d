#!/usr/bin/env node
/**
 * shardminer command line. One file per command under src/cli/; each exports `register`.
 * Exit codes (DESIGN §12): 0 success (including a clean Ctrl-C stop), 1 runtime failure,
 * 2 usage error, 3 a check failed.
 */
import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';
import { ChainError, isUsageError } from '../core/errors.js';

import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exitCodes.js';

async function main(argv: string[]): Promise<void> {
  const program = new Command('shardminer')
    .description('Local multi-shard proof-of-work node and miner in the style of QuarkChain')
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    const err = ChainError.from(e);
    process.stderr.write(`shardminer: ${err.message}\n`);
    // A usage code (BAD_FLAG, BAD_CONFIG: the catalogue's `usage`) means the command line or its configuration file is wrong.
    process.exitCode = isUsageError(err.code) ? EXIT_USAGE : EXIT_FAILURE;
  }
}

void main(process.argv);
