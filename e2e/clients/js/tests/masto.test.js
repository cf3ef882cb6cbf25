// masto.js (npm `masto`, pinned in package.json) against the real binary, used as its
// documentation says: apps.create, an OAuth client_credentials token, accounts.create
// (multipart), v2.instance.fetch, createStreamingAPIClient from the advertised streaming
// URL, v2.search.list, streaming.user.subscribe, v1.reports.create.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";

import { startWoolly } from "./woolly.js";

const PASSWORD = "correct horse battery staple";
const SCOPES = "read write follow push";
const WAIT_MS = 15_000;

let woolly;
let failed = false;
const users = {};

/** Reads a subscription in the background; `waitFor` finds an event seen so far or soon. */
function collect(subscription) {
  const seen = [];
  let error = null;
  (async () => {
    try {
      for await (const event of subscription) seen.push(event);
    } catch (err) {
      error = err;
    }
  })();
  return {
    async waitFor(matches, ms = WAIT_MS) {
      const deadline = Date.now() + ms;
      for (;;) {
        if (error) throw error;
        const hit = seen.find(matches);
        if (hit) return hit;
        if (Date.now() > deadline) return null;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

async function register(clientId, clientSecret, username) {
  const oauth = createOAuthAPIClient({ url: woolly.base });
  const appToken = await oauth.token.create({
    grantType: "client_credentials",
    clientId,
    clientSecret,
    scope: SCOPES,
  });
  const asApp = createRestAPIClient({ url: woolly.base, accessToken: appToken.accessToken });
  // masto.js sends this one as multipart/form-data.
  const token = await asApp.v1.accounts.create({
    username,
    email: `${username}@example.com`,
    password: PASSWORD,
    agreement: true,
    locale: "en",
  });
  assert.equal(token.tokenType, "Bearer");
  const client = createRestAPIClient({ url: woolly.base, accessToken: token.accessToken });
  // Unconfirmed: the sign-in token is refused like upstream does.
  await assert.rejects(client.v1.accounts.verifyCredentials(), (err) => {
    assert.equal(err.statusCode, 403);
    assert.match(err.message, /confirmed e-mail/);
    return true;
  });
  await woolly.admin("confirm", username);
  const me = await client.v1.accounts.verifyCredentials();
  assert.equal(me.username, username);
  return { client, me, accessToken: token.accessToken };
}

before(async () => {
  woolly = await startWoolly();
  const anonymous = createRestAPIClient({ url: woolly.base });
  const app = await anonymous.v1.apps.create({
    clientName: "woolly-e2e-masto-js",
    redirectUris: "urn:ietf:wg:oauth:2.0:oob",
    scopes: SCOPES,
  });
  users.alice = await register(app.clientId, app.clientSecret, "alice");
  users.bob = await register(app.clientId, app.clientSecret, "bob");
});

after(async () => {
  if (failed) console.error(`--- woolly serve log (tail) ---\n${woolly?.log().slice(-6000)}`);
  await woolly?.stop();
});

function t(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (err) {
      failed = true;
      throw err;
    }
  });
}

t("v2 instance advertises the streaming URL", async () => {
  const instance = await users.alice.client.v2.instance.fetch();
  assert.equal(instance.domain, `127.0.0.1:${woolly.port}`);
  assert.equal(instance.configuration.urls.streaming, `ws://127.0.0.1:${woolly.port}`);
});

t("v2 search finds the account", async () => {
  const found = await users.bob.client.v2.search.list({ q: "alice", type: "accounts", resolve: false });
  assert.deepEqual(
    found.accounts.map((a) => a.id),
    [users.alice.me.id],
  );
  assert.deepEqual(found.statuses, []);
});

t("user stream receives the follow notification", async () => {
  const instance = await users.alice.client.v2.instance.fetch();
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: users.alice.accessToken,
    retry: false,
  });
  const subscription = streaming.user.subscribe();
  const events = collect(subscription);
  try {
    // Iterating connects and then sends the subscribe message, with no acknowledgement;
    // alice's own statuses reach her user stream, so once one arrives the stream is live.
    let live = null;
    for (let attempt = 0; !live && attempt < 20; attempt++) {
      await users.alice.client.v1.statuses.create({ status: `probe ${attempt}` });
      live = await events.waitFor((e) => e.event === "update", 500);
    }
    assert.ok(live, "no update on the user stream");
    assert.deepEqual(live.stream, ["user"]);

    await users.bob.client.v1.accounts.$select(users.alice.me.id).follow();
    const note = await events.waitFor((e) => e.event === "notification" && e.payload.type === "follow");
    assert.ok(note, "no follow notification on the user stream");
    assert.equal(note.payload.account.id, users.bob.me.id);
    assert.equal(note.payload.account.acct, "bob");
  } finally {
    subscription.unsubscribe();
    streaming.close();
  }
});

t("report", async () => {
  const report = await users.bob.client.v1.reports.create({
    accountId: users.alice.me.id,
    comment: "spam from a client test",
    forward: false,
    category: "spam",
  });
  assert.equal(report.targetAccount.id, users.alice.me.id);
  assert.equal(report.comment, "spam from a client test");
  assert.equal(report.category, "spam");
  assert.equal(report.actionTaken, false);
});
