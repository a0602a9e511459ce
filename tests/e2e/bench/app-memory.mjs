// The app's resident memory with the generated 100,000-note vault open
// (`make bench-app-memory`): unlock, open a client's timeline, search, then
// read VmRSS of the app and its WebKit processes.
import { readFileSync, writeFileSync } from "node:fs";
import { expect } from "@wdio/globals";
import { PASSPHRASE, byTestId, click, clickAndSwitch, pidsOf, type } from "../specs/helpers.mjs";

function residentMib(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

describe("app memory with a large vault", () => {
  it("unlocks, shows a timeline and a search, and reports resident memory", async () => {
    const handle = await browser.getWindowHandle();
    const started = Date.now();
    await type("lock-passphrase", PASSPHRASE);
    await clickAndSwitch("lock-submit", handle, 60000);
    await (await byTestId("app-shell")).waitForDisplayed({ timeout: 60000 });
    const unlockedMs = Date.now() - started;
    await click("nav-clients");
    const row = await byTestId("client-row");
    await row.waitForDisplayed({ timeout: 30000 });
    await (await row.$("button")).click();
    await click("client-tab-timeline");
    await (await byTestId("timeline-item")).waitForDisplayed({ timeout: 30000 });
    await click("nav-search");
    await type("search-input", "slaap");
    await click("search-submit");
    await (await byTestId("search-result")).waitForDisplayed({ timeout: 30000 });
    await browser.pause(1000);

    const measure = (pattern) => pidsOf(pattern).map((pid) => ({ pid, residentMib: residentMib(pid) }));
    const report = {
      unlockToShellMs: unlockedMs,
      app: measure(process.env.KLUIS_APP_BINARY),
      webProcesses: measure("WebKitWebProcess"),
      networkProcesses: measure("WebKitNetworkProcess"),
    };
    writeFileSync("output/app-memory.json", JSON.stringify(report, null, 2));
    console.log(`app memory with the large vault open: ${JSON.stringify(report)}`);
    expect(report.app.length).toBeGreaterThan(0);
  });
});
