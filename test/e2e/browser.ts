// Shared by the Chromium e2e files: the build of the web apps (once, under a lock, since
// vitest runs test files in parallel), Chromium's flags, screenshots, and page-error watching.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_SRC = path.join(REPO, 'web');
export const WEB_OUT = path.join(REPO, 'dist', 'web');
export const SHOTS = path.join(REPO, 'test-results', 'e2e');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const haveChromium = existsSync(CHROMIUM);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsFresh(): boolean {
  const built = path.join(WEB_OUT, 'index.html');
  const sources = Math.max(newestMtime(WEB_SRC), statSync(path.join(REPO, 'vite.config.ts')).mtimeMs);
  return existsSync(built) && existsSync(path.join(WEB_OUT, 'scanner', 'index.html')) && statSync(built).mtimeMs >= sources;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Build the web apps with Vite unless dist/web is newer than every source file. One build at a
 * time across test files (a directory as the lock): a second build would empty dist/web under a
 * server that is serving it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (buildIsFresh()) return;
  const lock = path.join(REPO, 'dist', '.web-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 150_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // someone else is building; a lock older than 3 minutes is left over from a crash
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(250);
    }
  }
  try {
    if (buildIsFresh()) return;
    // a child process: vitest sets NODE_ENV=test, which would give a development React build
    execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: REPO,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage, animations: 'allow' });
}

export function watchErrors(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // 401 from the initial session probe is expected; anything the app logs as an error is not
    if (msg.type() === 'error' && !/status of 401/.test(msg.text())) into.push(`console: ${msg.text()}`);
  });
}
