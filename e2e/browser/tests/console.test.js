// The moderation console in headless Chromium, against the real `woolly` binary, through the
// pages only: an Owner filters the accounts list by each filter, approves and rejects
// sign-ups, warns / silences / suspends and undoes each, resolves a report with an action,
// overrules a strike and finds every step in the audit log; a Moderator acting on an Admin
// and a plain user are refused. Every page is screenshotted at desktop and phone widths (in
// out/console/) and checked with axe-core: no serious or critical violation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
const OUT = join(root, 'out', 'console');
const PASSWORD = 'console-test-password';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let dataDir;
let server;
let base;
let env;
let browser;
const ids = {};

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

function admin(...args) {
  return execFileSync(BIN, ['admin', ...args], { env, stdio: 'pipe' }).toString().trim();
}

function createAccount(name, ...flags) {
  admin('create-account', name, '--email', `${name}@example.com`, '--confirmed',
    '--password', PASSWORD, ...flags);
}

async function api(method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
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
  dataDir = mkdtempSync(join(tmpdir(), 'woolly-console-'));
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
  createAccount('owner', '--role', 'Owner');
  createAccount('boss', '--role', 'Admin');
  createAccount('mod', '--role', 'Moderator');
  createAccount('plain');
  createAccount('troll');
  createAccount('spammer');
  createAccount('newbie', '--pending');
  createAccount('drifter', '--pending');
  admin('create-warning-preset', 'Be kind', '--text', 'Please follow the server rules.');
  const trollToken = admin('token', 'troll', '--scopes', 'read write');
  const spammerToken = admin('token', 'spammer', '--scopes', 'read write');
  const plainToken = admin('token', 'plain', '--scopes', 'read write');

  // the server's log beside the screenshots, for when a page fails
  const log = openSync(join(OUT, 'server.log'), 'w');
  server = spawn(BIN, ['serve'], { env, stdio: ['ignore', log, log] });
  await waitUntilUp();

  const troll = await api('PATCH', '/api/v1/accounts/update_credentials', trollToken,
    { display_name: 'Bridge Dweller' });
  ids.troll = troll.id;
  const status = await api('POST', '/api/v1/statuses', spammerToken,
    { status: 'Buy cheap followers at spam.example!' });
  const spammer = await api('GET', '/api/v1/accounts/verify_credentials', spammerToken);
  ids.spammer = spammer.id;
  const report = await api('POST', '/api/v1/reports', plainToken,
    { account_id: spammer.id, status_ids: [status.id], comment: 'Selling followers', category: 'spam' });
  ids.report = report.id;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** axe-core on the page as it is: the serious and critical violations. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(AXE);
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Screenshots at desktop and phone widths, light and (desktop) dark, each checked by axe. */
async function look(page, name) {
  const problems = [];
  for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(OUT, `${name}-${label}.png`), fullPage: true });
    problems.push(...(await axeViolations(page)).map((p) => `${label}: ${p}`));
  }
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(OUT, `${name}-desktop-dark.png`), fullPage: true });
  problems.push(...(await axeViolations(page)).map((p) => `dark: ${p}`));
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, [], `axe on ${name}`);
}

async function signIn(name, path = '/admin') {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.getByLabel('E-mail address').fill(`${name}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  return page;
}

/** The account rows' handles on the list page. */
async function handles(page) {
  return page.locator('table.rows tbody td.who a').allTextContents();
}

async function filterBy(page, fill) {
  await page.goto(`${base}/admin/accounts`);
  await fill();
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForLoadState();
  return handles(page);
}

async function notice(page) {
  return page.getByRole('status').textContent();
}

test('an Owner moderates through the console', async () => {
  const page = await signIn('owner', '/admin/accounts');
  assert.match(page.url(), /\/admin\/accounts$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Accounts');
  await look(page, 'accounts');
  await page.goto(`${base}/admin`);
  await look(page, 'home');

  // every v2 filter, each keeping its value in the form
  let found = await filterBy(page, () => page.getByLabel('Status').selectOption('pending'));
  assert.deepEqual(found.sort(), ['@drifter', '@newbie']);
  assert.equal(await page.getByLabel('Status').inputValue(), 'pending');
  await look(page, 'accounts-pending');
  found = await filterBy(page, () => page.getByLabel('Origin').selectOption('local'));
  assert.ok(found.includes('@owner') && found.includes('@troll'), found.join());
  found = await filterBy(page, () => page.getByLabel('Origin').selectOption('remote'));
  assert.deepEqual(found, []);
  found = await filterBy(page, () => page.getByLabel('Role').selectOption({ label: 'Moderator' }));
  assert.deepEqual(found, ['@mod']);
  assert.equal(await page.locator('#f-role option:checked').textContent(), 'Moderator');
  found = await filterBy(page, () => page.getByLabel('Staff').selectOption('staff'));
  assert.deepEqual(found.sort(), ['@boss', '@mod', '@owner']);
  found = await filterBy(page, () => page.getByLabel('Username').fill('trol'));
  assert.deepEqual(found, ['@troll']);
  assert.equal(await page.getByLabel('Username').inputValue(), 'trol');
  found = await filterBy(page, () => page.getByLabel('Display name').fill('bridge'));
  assert.deepEqual(found, ['@troll']);
  found = await filterBy(page, () => page.getByLabel('E-mail').fill('spammer@'));
  assert.deepEqual(found, ['@spammer']);
  found = await filterBy(page, () => page.getByLabel('IP or CIDR').fill('127.0.0.0/8'));
  // those who signed in or used a token so far: from loopback; the rest have no address yet
  assert.ok(found.includes('@owner') && found.includes('@troll'), found.join());
  assert.ok(!found.includes('@newbie') && !found.includes('@mod'), found.join());
  assert.equal(await page.getByLabel('IP or CIDR').inputValue(), '127.0.0.0/8');
  found = await filterBy(page, () => page.getByLabel('Domain').fill('remote.example'));
  assert.deepEqual(found, []);
  found = await filterBy(page, () => page.getByLabel('Invited by (account id)').fill(ids.troll));
  assert.deepEqual(found, []);
  assert.equal(await page.getByLabel('Invited by (account id)').inputValue(), ids.troll);

  // approve one pending sign-up, reject the other after a confirmation page
  await filterBy(page, () => page.getByLabel('Status').selectOption('pending'));
  await page.getByRole('link', { name: '@newbie' }).click();
  await look(page, 'account-pending');
  await page.getByRole('button', { name: 'Approve' }).click();
  assert.match(await notice(page), /approved/);
  assert.equal(await page.locator('.badge', { hasText: 'Pending' }).count(), 0);
  await filterBy(page, () => page.getByLabel('Status').selectOption('pending'));
  await page.getByRole('link', { name: '@drifter' }).click();
  await page.getByRole('link', { name: 'Reject…' }).click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Reject this sign-up/);
  await look(page, 'confirm-reject');
  await page.getByRole('button', { name: 'Reject and delete' }).click();
  assert.match(await notice(page), /rejected/);
  assert.deepEqual(await handles(page), []);

  // warn with a preset, silence, suspend — and undo each
  const trollPage = `${base}/admin/accounts/${ids.troll}`;
  await page.goto(trollPage);
  await page.getByRole('link', { name: 'Warn…' }).click();
  await look(page, 'action-form');
  await page.getByLabel('Warning preset').selectOption({ label: 'Be kind' });
  await page.getByLabel(/Text to the account/).fill('First warning.');
  await page.getByRole('button', { name: 'Apply' }).click();
  assert.match(await notice(page), /warning sent/);
  await page.getByRole('link', { name: 'Silence…' }).click();
  assert.ok(await page.getByLabel('Limit (silence)').isChecked());
  await page.getByRole('button', { name: 'Apply' }).click();
  assert.match(await notice(page), /account limited/);
  assert.equal(await page.locator('h1 ~ p .badge', { hasText: 'Silenced' }).count(), 1);
  await page.getByRole('button', { name: 'Unsilence' }).click();
  assert.match(await notice(page), /limit lifted/);
  await page.getByRole('link', { name: 'Suspend…' }).click();
  await page.getByRole('button', { name: 'Apply' }).click();
  assert.match(await notice(page), /account suspended/);
  await look(page, 'account-suspended');
  await page.getByRole('button', { name: 'Unsuspend' }).click();
  assert.match(await notice(page), /suspension lifted/);
  assert.equal(await page.locator('h1 ~ p .badge', { hasText: 'Suspended' }).count(), 0);

  // a staff note
  await page.getByLabel('New note (only staff see it)').fill('Trolls under every bridge.');
  await page.getByRole('button', { name: 'Add note' }).click();
  assert.match(await notice(page), /note added/);
  assert.match(await page.locator('.note').textContent(), /@owner[\s\S]*Trolls under every bridge\./);

  // overrule the warning strike
  const strikes = page.locator('section[aria-labelledby=strikes-heading] tbody tr');
  assert.equal(await strikes.count(), 3);
  const warning = strikes.filter({ hasText: 'First warning.' });
  assert.match(await warning.textContent(), /Please follow the server rules\./);
  await warning.getByRole('button', { name: 'Overrule' }).click();
  assert.match(await notice(page), /strike overruled/);
  assert.equal(await page.locator('section[aria-labelledby=strikes-heading] .badge', { hasText: 'Overruled' }).count(), 1);
  await look(page, 'account');

  // the report: assign, act on the target (resolves it), reopen and resolve again
  await page.goto(`${base}/admin/reports`);
  await look(page, 'reports');
  await page.getByRole('link', { name: `Report ${ids.report}` }).click();
  assert.match(await page.textContent('main'), /Buy cheap followers/);
  await page.getByRole('button', { name: 'Assign to me' }).click();
  assert.match(await page.textContent('main'), /Assigned to\s*@owner/);
  await look(page, 'report');
  await page.getByLabel('Action').selectOption('silence');
  await page.getByLabel('Text to the account').fill('No spam here.');
  await page.getByRole('button', { name: 'Apply and resolve' }).click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Resolved/);
  await page.getByRole('button', { name: 'Reopen' }).click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Open/);
  await page.getByRole('button', { name: 'Resolve without action' }).click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Resolved/);
  await page.goto(`${base}/admin/reports`);
  assert.equal(await page.getByRole('link', { name: `Report ${ids.report}` }).count(), 0);
  await page.getByLabel('Status').selectOption('1');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('link', { name: `Report ${ids.report}` }).waitFor();

  // each step in the audit log, and its filters
  await page.goto(`${base}/admin/action_logs`);
  await look(page, 'action-logs');
  const actions = await page.locator('table.rows tbody td[data-label=Action]').allTextContents();
  for (const a of ['approve', 'reject', 'create', 'silence', 'unsilence', 'suspend', 'unsuspend',
    'overrule', 'assigned_to_self', 'resolve', 'reopen']) {
    assert.ok(actions.includes(a), `${a} in the audit log: ${actions.join()}`);
  }
  await page.getByLabel('Action').selectOption('suspend');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForLoadState();
  assert.deepEqual(await page.locator('table.rows tbody td[data-label=Action]').allTextContents(), ['suspend']);
  await page.goto(`${base}/admin/action_logs`);
  await page.getByLabel('Target account id').fill(ids.spammer);
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForLoadState();
  const spammerActions = await page.locator('table.rows tbody td[data-label=Action]').allTextContents();
  assert.deepEqual(spammerActions, ['resolve', 'reopen', 'resolve', 'silence', 'assigned_to_self']);
  await page.context().close();
});

test('a Moderator cannot act on an Admin; a plain user sees no console page', async () => {
  const page = await signIn('mod');
  await page.goto(`${base}/admin/accounts?username=boss`);
  await page.getByRole('link', { name: '@boss' }).click();
  await page.getByRole('link', { name: 'Suspend…' }).click();
  await page.getByRole('button', { name: 'Apply' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Not allowed');
  assert.equal(await page.getByRole('alert').textContent(), 'This action is not allowed');
  await look(page, 'moderator-refused');
  await page.goto(`${base}/admin/accounts/${ids.troll}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '@troll');
  await page.context().close();

  const plain = await signIn('plain');
  assert.equal(await plain.getByRole('heading', { level: 1 }).textContent(), 'Not allowed');
  await look(plain, 'plain-refused');
  for (const path of ['/admin/accounts', `/admin/accounts/${ids.troll}`, '/admin/reports', '/admin/action_logs']) {
    const res = await plain.goto(`${base}${path}`);
    assert.equal(res.status(), 403, path);
  }
  await plain.context().close();
});
