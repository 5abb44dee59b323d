#!/usr/bin/env node
/**
 * shardminer command line. One file per command under src/cli/; each exports `register`.
 * Exit codes (DESIGN §12): 0 success (including a clean Ctrl-C stop), 1 runtime failure,
 * 2 usage error, 3 a check failed. Every error is one line (errorFormat.ts):
 * `shardminer: CODE: what happened; what to do`. Bare `shardminer` prints the help and exits 0.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';
import { formatError, formatUsage } from './errorFormat.js';
import { EXIT_OK } from './exitCodes.js';

/** The package's version (package.json sits three levels above dist/src/cli/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Commander's codes for help and version output: not errors. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

async function main(argv: string[]): Promise<void> {
  const program = new Command('shardminer')
    .description('Local multi-shard proof-of-work node and miner in the style of QuarkChain')
    .version(version(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  for (const register of commands) register(program);
  if (argv.length <= 2) {
    process.stdout.write(program.helpInformation());
    process.exitCode = EXIT_OK;
    return;
  }
  const names = new Set(program.commands.map((c) => c.name()));
  const command = argv.slice(2).find((a) => names.has(a));
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (NOT_ERRORS.has(e.code) || e.exitCode === 0) {
        process.exitCode = EXIT_OK;
        return;
      }
      const f = formatUsage(e.message, command);
      process.stderr.write(`${f.line}\n`);
      process.exitCode = f.exitCode;
      return;
    }
    const f = formatError(e, command);
    process.stderr.write(`${f.line}\n`);
    process.exitCode = f.exitCode;
  }
}

void main(process.argv);
