// Two devices of one practitioner against one local central store: the real
// app twice (two profiles, each with its own device certificate), driven
// together through two tauri-drivers (WebdriverIO multiremote). The store is
// prepared here with IT's tool; the spec starts and stops it. The desk was
// issued a device directory the old way (`issue-device`); the travel laptop
// enrolls itself with a one-time token (`enroll`), pasted on its first run.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort, sharedOptions, startTauriDriver } from "./drivers.mjs";
import { run } from "./programs.mjs";

const application = process.env.KLUIS_APP_BINARY;
if (!application) throw new Error("KLUIS_APP_BINARY must point at the built kluis binary");
const binaries = dirname(application);

// The launcher makes the directory; the worker, which loads this file again,
// inherits the variable and uses the same one.
process.env.KLUIS_E2E_SYNC_ROOT ??= mkdtempSync(join(tmpdir(), "kluis-e2e-sync-"));
const root = process.env.KLUIS_E2E_SYNC_ROOT;
export const paths = {
  root,
  store: join(root, "store"),
  serverBinary: join(binaries, "kluis-server"),
  devices: { desk: join(root, "store", "desk-device") },
  travelToken: join(root, "travel-token"),
  /** The travel laptop's machine policy (as IT installs /etc/kluis/policy.json),
   *  and the policy its enrollment token carries for what the file leaves open. */
  travelPolicy: join(root, "travel-policy.json"),
  travelTokenPolicy: join(root, "travel-token-policy.json"),
  profiles: { desk: join(root, "desk"), travel: join(root, "travel") },
};
mkdirSync("output", { recursive: true });
const drivers = [];

export const admin = (...args) => run(join(binaries, "kluis-admin"), ["--dir", paths.store, ...args]).trim();

const app = (name, port) => ({
  hostname: "127.0.0.1",
  port,
  capabilities: {
    "tauri:options": {
      application,
      args: ["--profile", paths.profiles[name], ...(paths.devices[name] ? ["--sync", paths.devices[name]] : [])],
    },
    "wdio:enforceWebDriverClassic": true,
  },
});

export const config = {
  ...sharedOptions,
  specs: ["./sync/**/*.e2e.mjs"],
  capabilities: { desk: app("desk", 4444), travel: app("travel", 4454) },

  onPrepare: async () => {
    const port = await freePort();
    writeFileSync(join(root, "store-port"), String(port));
    admin("init", "--organisation", "Kluis E2E");
    admin("add-practitioner", "--id", "e2e-eva", "--name", "Eva Tester", "--role", "psychologist");
    admin(
      "issue-device",
      "--practitioner",
      "e2e-eva",
      "--out",
      paths.devices.desk,
      "--server-url",
      `https://127.0.0.1:${port}`,
    );
    writeFileSync(paths.travelPolicy, JSON.stringify({ max_idle_lock_seconds: 300, allowed_regions: ["nl"] }));
    writeFileSync(
      paths.travelTokenPolicy,
      JSON.stringify({ clipboard_clear_seconds: 30, wipe_after_failed_unlocks: 10, offline_grace_days: 30 }),
    );
    const token = admin(
      "enroll",
      "--policy",
      paths.travelTokenPolicy,
      "--practitioner",
      "e2e-eva",
      "--device",
      "travel-laptop",
      "--server-url",
      `https://127.0.0.1:${port}`,
    );
    writeFileSync(paths.travelToken, token);
    const env = { KLUIS_IDLE_TIMEOUT_SECONDS: "600" };
    drivers.push(await startTauriDriver({ port: 4444, nativePort: 4445, env }));
    drivers.push(
      await startTauriDriver({ port: 4454, nativePort: 4455, env: { ...env, KLUIS_POLICY_FILE: paths.travelPolicy } }),
    );
  },
  onComplete: () => {
    for (const driver of drivers) driver.kill();
  },
};
