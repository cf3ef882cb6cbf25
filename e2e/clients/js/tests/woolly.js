// Starts the real `woolly serve` binary for the masto.js tests. The binary comes from
// WOOLLY_BIN; DATABASE_URL (a fresh PostgreSQL database made by run.sh) switches the server
// to PostgreSQL, otherwise it uses SQLite in a temp dir.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

export async function startWoolly() {
  const binary = resolve(process.env.WOOLLY_BIN ?? "target/debug/woolly");
  const dir = mkdtempSync(join(tmpdir(), "woolly-masto-js-"));
  const port = await freePort();
  const env = { ...process.env };
  for (const key of ["DATABASE_URL", "WOOLLY_DATABASE_URL", "WOOLLY_CONFIG"]) delete env[key];
  Object.assign(env, {
    WOOLLY_DATA_DIR: dir,
    WOOLLY_LISTEN: `127.0.0.1:${port}`,
    WOOLLY_DOMAIN: `127.0.0.1:${port}`,
    WOOLLY_SCHEME: "http",
  });
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const logPath = join(dir, "server.log");
  const log = openSync(logPath, "w");
  const child = spawn(binary, ["serve"], { env, stdio: ["ignore", log, log] });
  let exited = null;
  child.on("exit", (code) => (exited = code ?? "signal"));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) throw new Error(`woolly serve exited with ${exited}:\n${readFileSync(logPath, "utf8")}`);
    if (Date.now() > deadline) throw new Error("woolly serve did not answer within 30 s");
    try {
      if ((await fetch(`${base}/api/v1/instance`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    base,
    port,
    /** `woolly admin …` against the same data dir / database as the server. */
    admin: (...args) => run(binary, ["admin", ...args], { env }),
    log: () => readFileSync(logPath, "utf8"),
    async stop() {
      if (exited === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
