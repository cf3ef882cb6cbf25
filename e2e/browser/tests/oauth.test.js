// The OAuth sign-in and consent pages in headless Chromium, against the real `woolly` binary:
// a wrong password shows the error, then sign-in, consent and a code that exchanges for a token.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const BIN = process.env.WOOLLY_BIN
  ? resolve(process.env.WOOLLY_BIN)
  : resolve(root, '../../target/debug/woolly');
const OUT = join(root, 'out');
const PASSWORD = 'browser-test-password';
const REDIRECT = 'http://client.invalid/callback';

let dataDir;
let server;
let base;
let env;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitUntilUp() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`woolly exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/v1/instance`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('woolly did not start');
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'woolly-browser-'));
  mkdirSync(OUT, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    WOOLLY_DATA_DIR: dataDir,
    WOOLLY_DOMAIN: `127.0.0.1:${port}`,
    WOOLLY_SCHEME: 'http',
    WOOLLY_LISTEN: `127.0.0.1:${port}`,
  };
  delete env.DATABASE_URL;
  delete env.WOOLLY_CONFIG;
  execFileSync(BIN, ['admin', 'create-account', 'alice', '--email', 'alice@example.com',
    '--confirmed', '--password', PASSWORD], { env, stdio: 'pipe' });
  server = spawn(BIN, ['serve'], { env, stdio: 'ignore' });
  await waitUntilUp();
});

after(() => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('sign in, consent and exchange the code in Chromium', async () => {
  const res = await fetch(`${base}/api/v1/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Browser test', redirect_uris: REDIRECT, scopes: 'read write' }),
  });
  assert.equal(res.status, 200);
  const app = await res.json();

  const verifier = 'browser-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${base}/oauth/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code', client_id: app.client_id, redirect_uri: REDIRECT,
    scope: 'read write', state: 'browser-state', code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    let callback = null;
    await page.route('http://client.invalid/**', (route) => {
      callback = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
    });

    await page.goto(authorize.toString());
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Sign in/);

    // A wrong password: the page again with a clear error.
    await page.getByLabel('E-mail address').fill('alice@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    assert.equal(await page.getByRole('alert').textContent(), 'Invalid E-mail address or password.');
    assert.equal(await page.getByLabel('E-mail address').inputValue(), 'alice@example.com');
    await page.screenshot({ path: join(OUT, 'sign-in-error.png'), fullPage: true });

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Authorization required' }).waitFor();
    assert.match(await page.textContent('main'), /Browser test/);
    const authorizeButton = page.getByRole('button', { name: 'Authorize' });
    await authorizeButton.focus();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'authorize');
    assert.ok(await page.getByRole('button', { name: 'Deny' }).isVisible());
    await page.screenshot({ path: join(OUT, 'consent.png'), fullPage: true });

    await authorizeButton.click();
    await page.waitForURL('http://client.invalid/**');
    assert.ok(callback, 'the browser was sent to the redirect URI');
    const back = new URL(callback);
    assert.equal(back.searchParams.get('state'), 'browser-state');
    const code = back.searchParams.get('code');
    assert.ok(code);

    const tokenRes = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier,
        client_id: app.client_id, client_secret: app.client_secret,
      }).toString(),
    });
    assert.equal(tokenRes.status, 200);
    const token = await tokenRes.json();
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.scope, 'read write');

    const me = await fetch(`${base}/api/v1/accounts/verify_credentials`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).username, 'alice');
  } finally {
    await browser.close();
  }
});
