// Starts a real `inkwell serve` on SQLite for the tests: a temporary data directory, a free port,
// and the first admin's token, which the server prints once on its first start.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface Server {
  baseUrl: string;
  /** The first admin's API token. */
  token: string;
  stop(): Promise<void>;
}

// dist/test/server.js -> the repository root.
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** Starts the server from INKWELL_BIN, or from a binary built from this repository. */
export async function startServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "inkwell-sdk-"));
  let bin = process.env.INKWELL_BIN;
  if (!bin) {
    bin = join(dir, "inkwell");
    execFileSync("go", ["build", "-o", bin, "./cmd/inkwell"], { cwd: repoRoot, stdio: "inherit" });
  }
  const child = spawn(bin, ["serve"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      INKWELL_HTTP_ADDR: "127.0.0.1:0",
      INKWELL_DATABASE_URL: `sqlite:${join(dir, "inkwell.db")}`,
      INKWELL_REDIS_URL: "",
      INKWELL_LOG_ACCESS_LOG: "false",
      INKWELL_RATE_LIMIT_PUBLIC_RPS: "0",
      INKWELL_RATE_LIMIT_TOKEN_RPS: "0",
      INKWELL_METRICS_ADDR: "", // tests run side by side; none scrapes
    },
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [token, addr] = await Promise.all([firstAdminToken(child), listenAddress(child)]);
    return { baseUrl: `http://${addr}`, token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function firstAdminToken(child: ChildProcess): Promise<string> {
  return awaitLine(child, child.stdout!, (line) => /^Admin API token \(shown once\): (ink_\S+)$/.exec(line)?.[1]);
}

function listenAddress(child: ChildProcess): Promise<string> {
  const log: string[] = [];
  return awaitLine(child, child.stderr!, (line) => {
    log.push(line);
    try {
      const entry = JSON.parse(line) as { msg?: string; addr?: string };
      return entry.msg === "inkwell listening" ? entry.addr : undefined;
    } catch {
      return undefined;
    }
  }, () => log.join("\n"));
}

function awaitLine(
  child: ChildProcess,
  stream: NodeJS.ReadableStream,
  match: (line: string) => string | undefined,
  context: () => string = () => "",
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`inkwell serve did not start in 30 s\n${context()}`)), 30_000);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    createInterface({ input: stream }).on("line", (line) => {
      const found = match(line);
      if (found !== undefined) {
        done(() => resolve(found));
      }
    });
    child.once("exit", (code) => done(() => reject(new Error(`inkwell serve exited with ${code}\n${context()}`))));
  });
}
