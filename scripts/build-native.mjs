#!/usr/bin/env node
/**
 * Builds the sealing addon build/pow.node from native/*.cc with g++ and the local Node headers
 * (N-API only, so no node-gyp, no header download, no network). Each ISA-specific file gets its
 * own -m flags; the addon picks a variant at run time with __builtin_cpu_supports.
 *
 * Never fails the install: on any problem it prints one warning and exits 0, and the pow layer
 * falls back to the wasm-simd / js kernels. Skips the build when pow.node is newer than every
 * source. Environment: SHARDMINER_SKIP_NATIVE=1 skips; CXX overrides g++; NODE_INCLUDE_DIR
 * points at a directory holding node_api.h.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'native');
const OUT_DIR = join(ROOT, 'build');
const OBJ_DIR = join(OUT_DIR, 'obj');
const TARGET = join(OUT_DIR, 'pow.node');
const CXX = process.env.CXX || 'g++';
/** Per-file ISA flags; every other file is built for the baseline x86-64 ISA. */
const ISA_FLAGS = {
  'sha256d_avx2.cc': ['-mavx2'],
  'sha256d_avx2x16.cc': ['-mavx2'],
  'sha256d_avx512.cc': ['-mavx512f'],
  'sha256d_shani.cc': ['-msha', '-msse4.1'],
};
const COMMON = ['-O3', '-std=c++17', '-fPIC', '-fvisibility=hidden', '-Wall', '-Wno-psabi', '-DNAPI_VERSION=8', '-DNODE_GYP_MODULE_NAME=pow'];

function warn(msg) {
  process.stderr.write(`shardminer native: ${msg}; sealing falls back to the wasm-simd/js kernels\n`);
  process.exit(0);
}

function nodeIncludeDir() {
  const candidates = [
    process.env.NODE_INCLUDE_DIR,
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    resolve(process.execPath, '..', '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'node_api.h')));
}

function upToDate(sources) {
  if (!existsSync(TARGET)) return false;
  const built = statSync(TARGET).mtimeMs;
  const inputs = [...sources.map((f) => join(SRC, f)), ...readdirSync(SRC).filter((f) => f.endsWith('.h')).map((f) => join(SRC, f)), fileURLToPath(import.meta.url)];
  return inputs.every((f) => statSync(f).mtimeMs <= built);
}

function run(args) {
  return new Promise((res) => {
    const p = spawn(CXX, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', (e) => res({ ok: false, err: e.message }));
    p.on('close', (code) => res({ ok: code === 0, err }));
  });
}

async function main() {
  if (process.env.SHARDMINER_SKIP_NATIVE === '1') warn('skipped (SHARDMINER_SKIP_NATIVE=1)');
  if (process.arch !== 'x64') warn(`no native kernels for ${process.arch} yet`);
  const sources = readdirSync(SRC).filter((f) => f.endsWith('.cc')).sort();
  if (upToDate(sources)) return;
  if (spawnSync(CXX, ['--version'], { stdio: 'ignore' }).status !== 0) warn(`${CXX} not found`);
  const inc = nodeIncludeDir();
  if (!inc) warn('Node headers (node_api.h) not found; set NODE_INCLUDE_DIR');
  mkdirSync(OBJ_DIR, { recursive: true });
  const t0 = Date.now();
  const objects = sources.map((f) => join(OBJ_DIR, f.replace(/\.cc$/, '.o')));
  const results = await Promise.all(sources.map((f, i) =>
    run([...COMMON, ...(ISA_FLAGS[f] ?? []), `-I${inc}`, '-c', join(SRC, f), '-o', objects[i]])));
  const failed = results.findIndex((r) => !r.ok);
  if (failed >= 0) warn(`compiling ${sources[failed]} failed:\n${results[failed].err.trim().split('\n').slice(0, 20).join('\n')}`);
  const tmp = `${TARGET}.tmp`;
  const link = await run(['-shared', '-o', tmp, ...objects]);
  if (!link.ok) warn(`linking failed: ${link.err.trim().split('\n').slice(0, 10).join('\n')}`);
  renameSync(tmp, TARGET);
  process.stderr.write(`shardminer native: built build/pow.node in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

main().catch((e) => warn(String(e instanceof Error ? e.message : e)));
