// WebdriverIO drives the real Kluis binary through tauri-driver, which starts
// Debian's WebKitWebDriver. Each run uses a fresh profile directory.
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedOptions, startTauriDriver } from "./drivers.mjs";
import { startMockLogind } from "./logind.mjs";

const application = process.env.KLUIS_APP_BINARY;
if (!application) throw new Error("KLUIS_APP_BINARY must point at the built kluis binary");

// A fresh profile per run, unless a benchmark points at a prepared one.
const profile = process.env.KLUIS_E2E_PROFILE ?? mkdtempSync(join(tmpdir(), "kluis-e2e-"));
mkdirSync("output", { recursive: true });
let driver;
let logind;

export const config = {
  ...sharedOptions,
  specs: process.env.KLUIS_E2E_SPECS ? process.env.KLUIS_E2E_SPECS.split(",") : ["./specs/**/*.e2e.mjs"],
  hostname: "127.0.0.1",
  port: 4444,
  capabilities: [
    {
      maxInstances: 1,
      "tauri:options": { application },
      "wdio:enforceWebDriverClassic": true,
    },
  ],

  onPrepare: async () => {
    // The app takes the mock logind's bus for the system bus; the worker that
    // runs the specs inherits its address to send it signals.
    logind = await startMockLogind();
    process.env.KLUIS_E2E_SYSTEM_BUS = logind.address;
    driver = await startTauriDriver({
      port: 4444,
      nativePort: 4445,
      env: {
        KLUIS_PROFILE_DIR: profile,
        KLUIS_IDLE_TIMEOUT_SECONDS: "30",
        KLUIS_CLIPBOARD_CLEAR_SECONDS: "15",
        DBUS_SYSTEM_BUS_ADDRESS: logind.address,
      },
    });
  },
  onComplete: () => {
    driver?.kill();
    logind?.stop();
  },
};
