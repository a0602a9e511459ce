// The foundation scenario, as a person uses the app: first run, a client whose
// remarks hold a random sentinel, a signed note holding it too, found by
// search and shown on the timeline, copied to the clipboard; a lock by
// Ctrl+L and one by the button, each followed by a memory scan of the app,
// its web processes and its network process; wrong passphrase, unlock, the
// clipboard cleared after its delay, an idle lock, and the control run
// without memory scrubbing, whose scan must find copies.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "@wdio/globals";
import { kluisInhibitors, lockSession, prepareForSleep } from "../logind.mjs";
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
  click,
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

/** The ids of the app's process and of WebKit's web and network processes. */
function appProcesses() {
  return {
    app: pidsOf(process.env.KLUIS_APP_BINARY),
    web: pidsOf("WebKitWebProcess"),
    network: pidsOf("WebKitNetworkProcess"),
  };
}

/** Scans every process of the app, after giving the destroyed web process
 *  time to exit; writes the report to output/NAME.json. */
async function scanAfterLock(name) {
  await browser.pause(3000);
  const pids = appProcesses();
  expect(pids.app.length).toBeGreaterThan(0);
  expect(pids.web.length).toBeGreaterThan(0);
  const report = {
    sentinelLength: sentinel.length,
    app: scan(pids.app),
    web: scan(pids.web),
    network: pids.network.length > 0 ? scan(pids.network) : [],
  };
  writeFileSync(`output/${name}.json`, JSON.stringify(report, null, 2));
  console.log(`memory scan ${name}: ${JSON.stringify(report)}`);
  for (const entry of [...report.app, ...report.web, ...report.network]) {
    expect(entry.error).toBeUndefined();
    expect(entry.bytesScanned).toBeGreaterThan(1_000_000);
  }
  return report;
}

/** Nothing of the sentinel in any process: (pid, counts, regions) for each,
 *  so a failure says where the copies are. */
function expectNoCopies(report) {
  for (const entry of [...report.app, ...report.web, ...report.network]) {
    expect({ pid: entry.pid, utf8: entry.utf8, utf16: entry.utf16, where: entry.hitRegions }).toEqual({
      pid: entry.pid,
      utf8: 0,
      utf16: 0,
      where: [],
    });
  }
}

/** The text on the X clipboard, or "" when nobody holds one. */
function clipboardText() {
  return run("xclip", ["-selection", "clipboard", "-o"], { okStatuses: [0, 1] });
}

/** Puts `text` on the clipboard as another program does (xclip keeps
 *  serving it in the background until someone else takes the clipboard). */
function otherProgramCopies(text) {
  const xclip = spawn("xclip", ["-selection", "clipboard", "-i"], { stdio: ["pipe", "ignore", "ignore"] });
  xclip.stdin.end(text);
}

/** Selects everything inside the element, as a person's drag would, and
 *  presses Ctrl+C; WebDriver carries only the test id. */
async function copyTextOf(selector) {
  await browser.execute((query) => {
    window.getSelection().selectAllChildren(document.querySelector(query));
  }, selector);
  run("xdotool", ["key", "--clearmodifiers", "ctrl+c"]);
  await browser.waitUntil(async () => clipboardText().includes(sentinel), {
    timeout: 10000,
    timeoutMsg: "the copied text did not reach the clipboard",
  });
}

async function openTheClient() {
  await click("nav-clients");
  const row = await byTestId("client-row");
  await row.waitForDisplayed();
  await (await row.$("button")).click();
  await (await byTestId("client-view")).waitForDisplayed();
}

/** Finds the note by searching for the sentinel, opens it, and shows the
 *  client's timeline. */
async function searchAndShowTimeline() {
  await click("nav-search");
  await (await byTestId("search-screen")).waitForDisplayed();
  await typeLikeAPerson("search-input", sentinel);
  await click("search-submit");
  await (await byTestId("search-result")).waitForDisplayed();
  const kinds = await $$('[data-testid="search-result"]').map((hit) => hit.getAttribute("data-kind"));
  expect(kinds).toContain("note");
  expect(await showsSecret("search-screen", sentinel)).toBe(true);
  await (await $('[data-testid="search-result"][data-kind="note"]')).click();
  await (await byTestId("note-editor")).waitForDisplayed();
  expect(await showsSecret("note-editor", sentinel)).toBe(true);
  await click("note-close");

  await openTheClient();
  await click("client-tab-timeline");
  await (await byTestId("timeline-item")).waitForDisplayed();
  expect(await showsSecret("client-timeline", sentinel)).toBe(true);
}

/** The mock logind's bus (see wdio.conf.mjs). */
const systemBus = () => {
  const address = process.env.KLUIS_E2E_SYSTEM_BUS;
  if (!address) throw new Error("KLUIS_E2E_SYSTEM_BUS must name the mock logind's bus");
  return address;
};

async function waitForInhibitors(count) {
  await browser.waitUntil(async () => kluisInhibitors(systemBus()) === count, {
    timeout: 10000,
    interval: 50,
    timeoutMsg: `expected ${count} Kluis sleep inhibitor(s) at logind`,
  });
}

/** From the lock screen back into the app. */
async function unlock(oldHandle) {
  await type("lock-passphrase", PASSPHRASE);
  const fresh = await clickAndSwitch("lock-submit", oldHandle);
  await (await byTestId("app-shell")).waitForDisplayed();
  return fresh;
}

describe("Kluis foundation", () => {
  let handle;

  it("creates a vault on first run", async () => {
    handle = await browser.getWindowHandle();
    await (await byTestId("firstrun-mode-standalone")).click();
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

  it("writes a signed note holding the sentinel, finds it by search and on the timeline", async () => {
    await openTheClient();
    await click("client-new-note");
    await (await byTestId("note-new-dialog")).waitForDisplayed();
    await (await byTestId("note-template")).selectByAttribute("value", "soap");
    await click("note-create");
    await (await byTestId("note-editor")).waitForDisplayed();
    await typeLikeAPerson("note-section-subjective", `Client vertelt in vertrouwen over ${sentinel} en slaap.`);
    await type("note-section-plan", "Slaapdagboek bijhouden, over twee weken verder.");
    const status = await byTestId("note-save-status");
    await browser.waitUntil(async () => /Opgeslagen|Saved/.test(await status.getText()), {
      timeout: 10000,
      timeoutMsg: "the draft was not autosaved",
    });
    await click("note-sign");
    await click("note-sign-confirm");
    await (await byTestId("note-signed-banner")).waitForDisplayed();
    expect(await showsSecret("note-editor", sentinel)).toBe(true);
    await click("note-close");

    await searchAndShowTimeline();
  });

  it("copies the note from the timeline to the clipboard", async () => {
    await copyTextOf('[data-testid="timeline-item"][data-kind="note"]');
  });

  it("locks on Ctrl+L: nothing of the client in the DOM, on the clipboard or in any process", async () => {
    run("xdotool", ["key", "--clearmodifiers", "ctrl+l"]);
    handle = await switchToFreshWindow(handle);
    await (await byTestId("lock-screen")).waitForDisplayed();
    const html = await browser.execute(() => document.documentElement.outerHTML);
    expect(html).not.toContain(sentinel);
    expect(html).not.toContain("Sentinella");
    expect(clipboardText()).not.toContain(sentinel);
    await screenshot("lock-screen");

    const report = await scanAfterLock("memscan");
    // The app restarts itself with glibc's thread cache off and WebKit on the
    // system malloc (kluis_core::memory), so freed text is wiped; those
    // settings only work from the process's start, so its environment shows them.
    for (const pid of pidsOf(process.env.KLUIS_APP_BINARY)) {
      const environment = readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
      expect(environment).toContain("Malloc=1");
      expect(environment.find((entry) => entry.startsWith("GLIBC_TUNABLES="))).toContain(
        "glibc.malloc.tcache_count=0",
      );
    }
    // The app process too (SPEC §9): the restart with the scrubbing allocators
    // and the input method's text cleared before the lock took it from 15-29
    // copies to 1 and then 0; the clipboard cleared at lock took WebKit's
    // copy of what was copied.
    expectNoCopies(report);
  });

  it("refuses a wrong passphrase with a clear error", async () => {
    await type("lock-passphrase", "dit is niet de juiste zin");
    await (await byTestId("lock-submit")).click();
    const error = await byTestId("lock-error");
    await error.waitForDisplayed();
    await expect(error).toHaveAttribute("data-code", "wrong_passphrase");
  });

  it("unlocks, and the client is there", async () => {
    handle = await unlock(handle);
    await openTheClient();
    // Asked masked: WebDriver's own messages live in the app process, and a
    // getText would leave the record there for the scans to find.
    expect(await showsSecret("client-view", sentinel)).toBe(true);
  });

  it("clears copied text off the clipboard after its delay", async () => {
    await copyTextOf('[data-testid="client-view"]');
    // This run's delay is 15 s (KLUIS_CLIPBOARD_CLEAR_SECONDS).
    await browser.waitUntil(async () => !clipboardText().includes(sentinel), {
      timeout: 40000,
      interval: 500,
      timeoutMsg: "the copied text stayed on the clipboard",
    });
  });

  it("locks with the button, and again nothing is left; another program's text stays on the clipboard", async () => {
    await openTheClient();
    await copyTextOf('[data-testid="client-view"]');
    otherProgramCopies("boodschappen: brood, kaas");
    await browser.waitUntil(async () => clipboardText() === "boodschappen: brood, kaas", { timeout: 10000 });
    handle = await clickAndSwitch("lock-button", handle);
    await (await byTestId("lock-screen")).waitForDisplayed();
    expect(clipboardText()).toBe("boodschappen: brood, kaas");
    expectNoCopies(await scanAfterLock("memscan-button"));
    handle = await unlock(handle);
  });

  it("locks before the system sleeps, and the suspend waits until it has", async () => {
    // Kluis holds a delay inhibitor, releases it only once locked, and takes
    // a new one after the resume (src-tauri/src/logind.rs).
    await waitForInhibitors(1);
    prepareForSleep(systemBus(), true);
    handle = await switchToFreshWindow(handle);
    await (await byTestId("lock-screen")).waitForDisplayed();
    await waitForInhibitors(0);
    prepareForSleep(systemBus(), false);
    await waitForInhibitors(1);
    handle = await unlock(handle);
  });

  it("locks when the screen locker locks the session", async () => {
    lockSession(systemBus());
    handle = await switchToFreshWindow(handle);
    await (await byTestId("lock-screen")).waitForDisplayed();
    handle = await unlock(handle);
  });

  it("locks when minimised, with that setting on", async () => {
    await click("nav-settings");
    const minimize = await byTestId("settings-minimize");
    await minimize.waitForDisplayed();
    if (!(await minimize.isSelected())) await minimize.click();
    await click("settings-save");
    await (await byTestId("settings-saved")).waitForDisplayed();
    // Minimising is the window manager's job: one runs for this step only,
    // so the other steps keep the bare display they were written for.
    const windowManager = spawn("openbox", [], { stdio: "ignore" });
    try {
      await browser.pause(1000);
      const windows = run("xdotool", ["search", "--onlyvisible", "--name", "^Kluis$"]).trim().split("\n");
      for (const window of windows) run("xdotool", ["windowminimize", window]);
      handle = await switchToFreshWindow(handle);
      await (await byTestId("lock-screen")).waitForDisplayed();
    } finally {
      windowManager.kill();
    }
    handle = await unlock(handle);
  });

  it("locks by itself after the idle timeout", async () => {
    // No input from here on: the 30 s idle timeout set for this run must fire.
    handle = await switchToFreshWindow(handle, 60000);
    await (await byTestId("lock-screen")).waitForDisplayed();
  });

  it("control: without memory scrubbing the same scan finds the client in the app process", async () => {
    // The same app and profile, started again with the scrubbing switched
    // off (a debug-build switch): the scan must find copies, or its zeros
    // above prove nothing.
    await browser.reloadSession({
      "tauri:options": { application: process.env.KLUIS_APP_BINARY, args: ["--without-memory-scrubbing"] },
      "wdio:enforceWebDriverClassic": true,
    });
    handle = await browser.getWindowHandle();
    await (await byTestId("lock-screen")).waitForDisplayed({ timeout: 20000 });
    handle = await unlock(handle);
    await openTheClient();
    expect(await showsSecret("client-view", sentinel)).toBe(true);
    await searchAndShowTimeline();
    handle = await clickAndSwitch("lock-button", handle);
    await (await byTestId("lock-screen")).waitForDisplayed();
    const report = await scanAfterLock("memscan-control");
    for (const pid of pidsOf(process.env.KLUIS_APP_BINARY)) {
      const environment = readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
      expect(environment).not.toContain("Malloc=1");
    }
    const copies = report.app.reduce((sum, entry) => sum + entry.utf8 + entry.utf16, 0);
    expect(copies).toBeGreaterThan(0);
  });
});
