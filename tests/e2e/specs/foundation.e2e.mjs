// The foundation scenario, as a person uses the app: first run, a client whose
// remarks hold a random sentinel, lock, memory scan of the app and its web
// processes, wrong passphrase, unlock, and an idle lock.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "@wdio/globals";
import { run } from "../programs.mjs";
import {
  PASSPHRASE,
  byTestId,
  clickAndSwitch,
  pidsOf,
  screenshot,
  showsSecret,
  switchToFreshWindow,
  type,
  typeLikeAPerson,
} from "./helpers.mjs";

const sentinel = `KLS${randomBytes(16).toString("hex")}`;

/** Scans processes for the sentinel; the scanner gets it masked only. */
function scan(pids) {
  const plain = Buffer.from(sentinel, "utf8");
  const mask = randomBytes(plain.length);
  const masked = Buffer.from(plain.map((byte, index) => byte ^ mask[index]));
  if (!process.env.KLUIS_MEMSCAN) throw new Error("KLUIS_MEMSCAN must point at the built kluis-memscan binary");
  const output = run(process.env.KLUIS_MEMSCAN, [
    "--masked",
    masked.toString("hex"),
    "--mask",
    mask.toString("hex"),
    ...pids.map(String),
  ]);
  return output.trim().split("\n").map((line) => JSON.parse(line));
}

describe("Kluis foundation", () => {
  let handle;

  it("creates a vault on first run", async () => {
    handle = await browser.getWindowHandle();
    await type("firstrun-name", "Eva Tester");
    await (await byTestId("firstrun-role")).selectByAttribute("value", "psychologist");
    await type("firstrun-passphrase", PASSPHRASE);
    await type("firstrun-confirm", PASSPHRASE);
    await browser.pause(600);
    await screenshot("first-run");
    handle = await clickAndSwitch("firstrun-submit", handle);
    await (await byTestId("app-shell")).waitForDisplayed({ timeout: 20000 });
  });

  it("adds a client whose remarks hold the sentinel", async () => {
    await (await byTestId("nav-clients")).click();
    await (await byTestId("clients-new")).click();
    await type("client-first-name", "Sentinella");
    await type("client-last-name", "Proef");
    await type("client-email", "sentinella@example.nl");
    await type("client-birth-year", "1990");
    await type("client-phone", "06 1234 5678");
    await type("client-care-start", "01-11-2026");
    await type("client-health-consent-date", "01-11-2026");
    // The sentinel reaches the app as a person's keystrokes, and is checked
    // without WebDriver carrying it (see typeLikeAPerson).
    await typeLikeAPerson("client-remarks", `Vertrouwelijke intake-notities: ${sentinel} einde`);
    await (await byTestId("client-save")).click();
    await (await byTestId("client-view")).waitForDisplayed();
    expect(await showsSecret("client-view", sentinel)).toBe(true);
    await (await byTestId("nav-clients")).click();
    await (await byTestId("client-row")).waitForDisplayed();
    await screenshot("clients-list");
  });

  it("locks, and nothing of the client is left in the DOM or in the web processes", async () => {
    handle = await clickAndSwitch("lock-button", handle);
    await (await byTestId("lock-screen")).waitForDisplayed();
    const html = await browser.execute(() => document.documentElement.outerHTML);
    expect(html).not.toContain(sentinel);
    expect(html).not.toContain("Sentinella");
    await screenshot("lock-screen");

    // Give the destroyed web process time to exit before scanning.
    await browser.pause(3000);
    const appPids = pidsOf(process.env.KLUIS_APP_BINARY);
    const webPids = pidsOf("WebKitWebProcess");
    const networkPids = pidsOf("WebKitNetworkProcess");
    expect(appPids.length).toBeGreaterThan(0);
    expect(webPids.length).toBeGreaterThan(0);
    const web = scan(webPids);
    const app = scan(appPids);
    const network = networkPids.length > 0 ? scan(networkPids) : [];
    const report = { sentinelLength: sentinel.length, app, web, network };
    writeFileSync("output/memscan.json", JSON.stringify(report, null, 2));
    console.log(`memory scan after lock: ${JSON.stringify(report)}`);
    for (const entry of [...web, ...app]) expect(entry.error).toBeUndefined();
    // The app restarts itself with glibc's thread cache off and WebKit on the
    // system malloc (kluis_core::memory), so freed text is wiped; those
    // settings only work from the process's start, so its environment shows them.
    for (const pid of appPids) {
      const environment = readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
      expect(environment).toContain("Malloc=1");
      expect(environment.find((entry) => entry.startsWith("GLIBC_TUNABLES="))).toContain(
        "glibc.malloc.tcache_count=0",
      );
    }
    for (const entry of web) {
      expect(entry.bytesScanned).toBeGreaterThan(1_000_000);
      expect(entry.utf8 + entry.utf16).toBe(0);
    }
    // The app process too (SPEC §9): the restart with the scrubbing allocators
    // and the input method's text cleared before the lock took it from 15-29
    // copies to 1 and then 0.
    for (const entry of app) {
      expect(entry.bytesScanned).toBeGreaterThan(1_000_000);
      expect({ pid: entry.pid, utf8: entry.utf8, utf16: entry.utf16, where: entry.hitRegions }).toEqual({
        pid: entry.pid,
        utf8: 0,
        utf16: 0,
        where: [],
      });
    }
  });

  it("refuses a wrong passphrase with a clear error", async () => {
    await type("lock-passphrase", "dit is niet de juiste zin");
    await (await byTestId("lock-submit")).click();
    const error = await byTestId("lock-error");
    await error.waitForDisplayed();
    await expect(error).toHaveAttribute("data-code", "wrong_passphrase");
  });

  it("unlocks, and the client is there", async () => {
    await type("lock-passphrase", PASSPHRASE);
    handle = await clickAndSwitch("lock-submit", handle);
    await (await byTestId("app-shell")).waitForDisplayed();
    await (await byTestId("nav-clients")).click();
    const row = await byTestId("client-row");
    await row.waitForDisplayed();
    await (await row.$("button")).click();
    await expect(await byTestId("client-view")).toHaveText(expect.stringContaining(sentinel));
  });

  it("locks by itself after the idle timeout", async () => {
    // No input from here on: the 30 s idle timeout set for this run must fire.
    handle = await switchToFreshWindow(handle, 60000);
    await (await byTestId("lock-screen")).waitForDisplayed();
  });
});
