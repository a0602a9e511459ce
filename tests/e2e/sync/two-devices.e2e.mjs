// A practitioner with two devices (a desk computer and a travel laptop) and
// one central store: what is written on one appears on the other; with the
// store gone the laptop says it is offline and keeps working; when the store
// is back, the backlog arrives on the other device; a phone number changed on
// both devices waits on the conflicts screen until the practitioner chooses;
// when IT wipes the laptop it erases itself and the store keeps its receipt.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "@wdio/globals";
import { waitForPort } from "../drivers.mjs";
import { run } from "../programs.mjs";
import { PASSPHRASE, byTestId, click, clickAndSwitch, pidsOf, screenshot, type } from "../specs/helpers.mjs";
import { admin, paths } from "../wdio.sync.conf.mjs";

const marker = `mk${randomBytes(4).toString("hex")}`;
const deskText = `Eerste gesprek aan het bureau: slaapt slecht door ploegendienst (${marker}a).`;
const travelText = `In de trein genoteerd: belafspraak verzet naar vrijdag (${marker}b).`;
const port = Number(readFileSync(`${paths.root}/store-port`, "utf8"));
let store;

async function startStore() {
  store = spawn(paths.serverBinary, ["--dir", paths.store, "--listen", `127.0.0.1:${port}`, "--region", "nl"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForPort(port, 20000, store);
}

async function stopStore() {
  const exited = once(store, "exit");
  store.kill("SIGTERM");
  await exited;
}

const device = (name) => browser.getInstance(name);
/** First run on a device IT issued: only a passphrase is asked; the app
 *  replaces its window when the vault is made. */
async function firstRun(app) {
  const oldHandle = await app.getWindowHandle();
  await type("firstrun-passphrase", PASSPHRASE, app);
  await type("firstrun-confirm", PASSPHRASE, app);
  await clickAndSwitch("firstrun-submit", oldHandle, 20000, app);
  await (await byTestId("app-shell", app)).waitForDisplayed({ timeout: 20000 });
}

/** Asks for a round now and waits until the indicator shows `state` (for
 *  `up_to_date`: with nothing left to send). The indicator reads the status
 *  right after the click, when the round it asked for is usually running, and
 *  then every 5 s; so it is watched for a while before asking again. */
async function syncUntil(app, state, timeout = 60000) {
  const indicator = await byTestId("sync-indicator", app);
  await indicator.waitForDisplayed({ timeout });
  const deadline = Date.now() + timeout;
  let seen = "";
  const reached = async () => {
    const current = await indicator.getAttribute("data-state");
    const pending = await byTestId("sync-pending", app);
    const waiting = (await pending.isExisting()) ? await pending.getText() : "";
    seen = `${current} ${waiting}`.trim();
    return current === state && (state !== "up_to_date" || waiting === "");
  };
  // A wait that times out is asked again; one whose check kept failing (the
  // session gone, say) is kept, so that the final error gives its reason.
  let failure = "";
  while (Date.now() < deadline) {
    await click("sync-now", app);
    const done = await app.waitUntil(reached, { timeout: 12000, interval: 500 }).catch((error) => {
      if (!error.message.includes("timed out")) failure = `; the last check failed: ${error.message}`;
      return false;
    });
    if (done) return;
  }
  throw new Error(`the sync indicator did not reach ${state}; it shows: ${seen}${failure}`);
}

async function openClient(app, firstName) {
  await click("nav-clients", app);
  await app.waitUntil(
    async () => {
      for (const row of await app.$$('[data-testid="client-row"]')) {
        if ((await row.getText()).includes(firstName)) {
          await (await row.$("button")).click();
          return true;
        }
      }
      return false;
    },
    { timeout: 20000, timeoutMsg: `${firstName} is not in the client list` },
  );
  await (await byTestId("client-view", app)).waitForDisplayed();
}

async function writeFreeNote(app, text) {
  await click("client-new-note", app);
  await (await byTestId("note-new-dialog", app)).waitForDisplayed();
  await (await byTestId("note-template", app)).selectByAttribute("value", "free");
  await (await byTestId("note-visibility", app)).selectByAttribute("value", "care_team");
  await click("note-create", app);
  await (await byTestId("note-editor", app)).waitForDisplayed();
  await type("note-section-text", text, app);
  const status = await byTestId("note-save-status", app);
  await app.waitUntil(async () => /Opgeslagen|Saved/.test(await status.getText()), {
    timeout: 10000,
    timeoutMsg: "the draft was not autosaved",
  });
}

/** Brings a device's window to the top of the shared virtual display, so
 *  that a screenshot shows that device. */
function raise(name) {
  const profile = `--profile ${paths.profiles[name]}( |$)`;
  const [pid] = pidsOf(profile);
  if (pid === undefined) throw new Error(`the ${name} device's app is not running: no process has "${profile}"`);
  const windows = run("xdotool", ["search", "--pid", String(pid)]).trim().split("\n");
  for (const window of windows) run("xdotool", ["windowraise", window]);
}

async function changePhone(app, phone) {
  await openClient(app, "Noor");
  await click("client-edit", app);
  await type("client-phone", phone, app);
  await click("client-save", app);
  await (await byTestId("client-view", app)).waitForDisplayed();
}

/** What `kluis-vault-scan` finds on every page of a device's vault, read
 *  decrypted (free pages included) with the passphrase. */
function scanVault(name, pattern) {
  const output = run(join(dirname(paths.serverBinary), "kluis-vault-scan"), [paths.profiles[name]], {
    env: { ...process.env, KLUIS_SCAN_PASSPHRASE: PASSPHRASE, KLUIS_SCAN_PATTERN: pattern },
  });
  return JSON.parse(output);
}

async function searchFindsNothing(app, term) {
  await click("nav-search", app);
  await (await byTestId("search-screen", app)).waitForDisplayed();
  await type("search-input", term, app);
  await click("search-submit", app);
  await (await byTestId("search-empty", app)).waitForDisplayed({ timeout: 10000 });
}

async function searchFinds(app, term) {
  await click("nav-search", app);
  await (await byTestId("search-screen", app)).waitForDisplayed();
  await type("search-input", term, app);
  await click("search-submit", app);
  await (await byTestId("search-result", app)).waitForDisplayed({ timeout: 10000 });
}

describe("Kluis on two devices with one central store", () => {
  after(async () => {
    if (store && store.exitCode === null) await stopStore();
  });

  it("makes the issued desk's vault for the practitioner IT issued it for", async () => {
    await startStore();
    const desk = device("desk");
    const enrolled = await byTestId("firstrun-enrolled", desk);
    await enrolled.waitForDisplayed({ timeout: 20000 });
    await expect(enrolled).toHaveText(expect.stringContaining("Eva Tester"));
    expect(await (await byTestId("firstrun-name", desk)).isExisting()).toBe(false);
    await firstRun(desk);
    await syncUntil(desk, "up_to_date");
    // The key IT wrote into the device directory now lives in the vault only.
    expect(existsSync(`${paths.devices.desk}/device.key.pem`)).toBe(false);
  });

  it("enrolls the travel laptop with IT's one-time code, showing the key's words IT sees too", async () => {
    const travel = device("travel");
    const tokenField = await byTestId("firstrun-token", travel);
    await tokenField.waitForDisplayed({ timeout: 20000 });
    await tokenField.setValue(readFileSync(paths.travelToken, "utf8"));
    await type("firstrun-passphrase", PASSPHRASE, travel);
    await type("firstrun-confirm", PASSPHRASE, travel);
    await click("firstrun-submit", travel);
    const words = await byTestId("firstrun-key-words", travel);
    await words.waitForDisplayed({ timeout: 20000 });
    await expect(await byTestId("firstrun-enrolled-device", travel)).toHaveText(
      expect.stringContaining("Eva Tester"),
    );
    const listed = admin("devices")
      .split("\n")
      .map((line) => line.split("\t"))
      .find((columns) => columns[0] === "travel-laptop");
    expect(listed?.[6]).toBe(await words.getText());
    raise("travel");
    await screenshot("enrollment-key-words");

    const oldHandle = await travel.getWindowHandle();
    await clickAndSwitch("firstrun-continue", oldHandle, 20000, travel);
    await (await byTestId("app-shell", travel)).waitForDisplayed({ timeout: 20000 });
    await syncUntil(travel, "up_to_date");

    // The key is in the vault, not in any file of the profile.
    const profileFiles = run("find", [paths.profiles.travel, "-type", "f"]).trim().split("\n");
    for (const file of profileFiles) {
      expect(readFileSync(file, "latin1")).not.toContain("PRIVATE KEY");
    }
  });

  it("marks what IT's policy fixes as managed on the travel laptop, and the store sees which policy each device runs", async () => {
    const travel = device("travel");
    await click("nav-settings", travel);
    await (await byTestId("settings-idle-managed", travel)).waitForDisplayed({ timeout: 20000 });
    await expect(await byTestId("settings-managed-clipboard", travel)).toHaveText(expect.stringContaining("30"));
    await expect(await byTestId("settings-managed-wipe", travel)).toHaveText(expect.stringContaining("10"));
    await expect(await byTestId("settings-managed-grace", travel)).toHaveText(expect.stringContaining("30"));
    await expect(await byTestId("settings-managed-regions", travel)).toHaveText(expect.stringContaining("NL"));
    raise("travel");
    await screenshot("managed-settings");

    const desk = device("desk");
    await click("nav-settings", desk);
    await (await byTestId("settings-idle", desk)).waitForDisplayed({ timeout: 20000 });
    expect(await (await byTestId("settings-managed", desk)).isExisting()).toBe(false);

    // Each device states its policy's hash; the two differ, and IT sees it.
    await syncUntil(travel, "up_to_date");
    await syncUntil(desk, "up_to_date");
    const policies = Object.fromEntries(
      admin("devices")
        .split("\n")
        .slice(1)
        .map((line) => line.split("\t"))
        .map((columns) => [columns[0], columns[5]]),
    );
    expect(policies["travel-laptop"]).toMatch(/^[0-9a-f]{12}$/);
    expect(Object.values(policies).filter((hash) => /^[0-9a-f]{12}$/.test(hash))).toHaveLength(2);
    expect(new Set(Object.values(policies)).size).toBe(2);
  });

  it("shows a client and a signed note written on the desk on the travel laptop", async () => {
    const desk = device("desk");
    await click("nav-clients", desk);
    await click("clients-new", desk);
    await type("client-first-name", "Noor", desk);
    await type("client-last-name", "Visser", desk);
    await type("client-email", "noor.visser@example.nl", desk);
    await type("client-birth-year", "1991", desk);
    await type("client-phone", "06 8765 4321", desk);
    await type("client-care-start", "02-11-2026", desk);
    await type("client-health-consent-date", "02-11-2026", desk);
    await click("client-save", desk);
    await (await byTestId("client-view", desk)).waitForDisplayed();
    await writeFreeNote(desk, deskText);
    await click("note-sign", desk);
    await click("note-sign-confirm", desk);
    await (await byTestId("note-signed-banner", desk)).waitForDisplayed();
    await click("note-close", desk);
    await syncUntil(desk, "up_to_date");

    const travel = device("travel");
    await syncUntil(travel, "up_to_date");
    await openClient(travel, "Noor");
    await click("client-tab-timeline", travel);
    await (await byTestId("timeline-item", travel)).waitForDisplayed();
    const kinds = await travel.$$('[data-testid="timeline-item"]').map((item) => item.getAttribute("data-kind"));
    expect(kinds).toContain("note");
    await searchFinds(travel, `${marker}a`);
    raise("travel");
    await screenshot("sync-second-device");
  });

  it("keeps working offline when the store is gone, and says so", async () => {
    await stopStore();
    const travel = device("travel");
    await syncUntil(travel, "offline");
    await openClient(travel, "Noor");
    await writeFreeNote(travel, travelText);
    await click("note-close", travel);
    const pending = await byTestId("sync-pending", travel);
    await pending.waitForDisplayed({ timeout: 10000 });
    await expect(await byTestId("sync-indicator", travel)).toHaveAttribute("data-state", "offline");
    raise("travel");
    await screenshot("sync-offline");
  });

  it("sends the backlog when the store is back, and the desk receives it", async () => {
    await startStore();
    const travel = device("travel");
    await syncUntil(travel, "up_to_date", 90000);
    const desk = device("desk");
    await syncUntil(desk, "up_to_date");
    await searchFinds(desk, `${marker}b`);
  });

  it("puts a field changed on both devices on the conflicts screen, and sends the choice", async () => {
    const desk = device("desk");
    const travel = device("travel");
    await stopStore();
    await changePhone(desk, "06 1111 1111");
    await changePhone(travel, "06 2222 2222");
    await startStore();
    await syncUntil(travel, "up_to_date", 90000);
    await syncUntil(desk, "up_to_date", 90000);

    const open = await byTestId("sync-conflicts", desk);
    await open.waitForDisplayed({ timeout: 20000 });
    await open.click();
    const conflict = await byTestId("conflict", desk);
    await conflict.waitForDisplayed();
    await expect(conflict).toHaveAttribute("data-kind", "client");
    const field = await byTestId("conflict-field", desk);
    await expect(field).toHaveAttribute("data-field", "phone");
    await expect(field).toHaveText(expect.stringContaining("06 1111 1111"));
    await expect(field).toHaveText(expect.stringContaining("06 2222 2222"));
    raise("desk");
    await screenshot("sync-conflicts");
    await click("conflict-keep-mine", desk);
    await (await byTestId("conflicts-empty", desk)).waitForDisplayed();

    await syncUntil(desk, "up_to_date");
    await syncUntil(travel, "up_to_date");
    for (const app of [desk, travel]) {
      await openClient(app, "Noor");
      await expect(await byTestId("client-view-phone", app)).toHaveText("06 1111 1111");
    }
  });

  it("erases a client on the desk everywhere: both vaults, every page decrypted, and the store's files", async () => {
    const desk = device("desk");
    const travel = device("travel");
    const erased = `${marker}e`;
    await click("nav-clients", desk);
    await click("clients-new", desk);
    await type("client-first-name", "Mirte", desk);
    await type("client-email", "mirte@example.nl", desk);
    await type("client-birth-year", "1985", desk);
    await type("client-phone", "06 1234 0000", desk);
    await type("client-care-start", "02-11-2026", desk);
    await type("client-health-consent-date", "02-11-2026", desk);
    await click("client-save", desk);
    await (await byTestId("client-view", desk)).waitForDisplayed();
    const code = await (await byTestId("client-code", desk)).getText();
    await writeFreeNote(desk, `Mirte vertelt over haar werk (${erased}).`);
    await click("note-sign", desk);
    await click("note-sign-confirm", desk);
    await (await byTestId("note-signed-banner", desk)).waitForDisplayed();
    await click("note-close", desk);
    await syncUntil(desk, "up_to_date");
    await syncUntil(travel, "up_to_date");
    await searchFinds(travel, erased);
    // The scan finds the note while it is there: it can fail.
    expect(scanVault("desk", erased).found).toBe(true);
    expect(scanVault("travel", erased).found).toBe(true);

    await openClient(desk, "Mirte");
    await click("client-tab-privacy", desk);
    await (await byTestId("privacy-erase", desk)).waitForDisplayed();
    raise("desk");
    await screenshot("privacy-tab");
    await type("privacy-erase-code", code, desk);
    await click("privacy-erase-submit", desk);
    await (await byTestId("clients-list", desk)).waitForDisplayed({ timeout: 20000 });

    // Two rounds each: one applies the erasure, the next pull acknowledges it.
    for (const app of [desk, travel, desk, travel]) await syncUntil(app, "up_to_date");
    for (const app of [desk, travel]) {
      await searchFindsNothing(app, erased);
      await click("nav-clients", app);
      await (await byTestId("clients-list", app)).waitForDisplayed();
      expect(await (await byTestId("clients-list", app)).getText()).not.toContain("Mirte");
    }
    for (const name of ["desk", "travel"]) {
      const scanned = scanVault(name, erased);
      expect(scanned.pages).toBeGreaterThan(10);
      expect(scanned.found).toBe(false);
    }
    for (const file of readdirSync(paths.store).filter((name) => name.startsWith("store.db"))) {
      expect(readFileSync(`${paths.store}/${file}`).includes(erased)).toBe(false);
    }
    expect(admin("erasures")).toContain("erased on 2 of 2 devices");

    // The access log stays whole.
    await openClient(desk, "Noor");
    await click("client-tab-access-log", desk);
    await click("access-log-verify", desk);
    await (await byTestId("access-log-intact", desk)).waitForDisplayed({ timeout: 20000 });
  });

  it("erases the travel laptop when IT wipes it, with a receipt the store keeps, and the desk keeps working", async () => {
    const desk = device("desk");
    const travel = device("travel");
    const vaultId = (profile) =>
      JSON.parse(readFileSync(`${profile}/vault/vault.header.json`, "utf8")).body.vault_id;
    const travelVault = vaultId(paths.profiles.travel);
    const deskVault = vaultId(paths.profiles.desk);
    const keyringEntries = () => run("secret-tool", ["search", "--all", "service", "nl.kluis.vault"]);
    // Both vaults' secrets are in the keyring before: the search below sees them.
    expect(keyringEntries()).toContain(travelVault);
    expect(keyringEntries()).toContain(deskVault);

    expect(admin("wipe", "--device", "travel-laptop")).toContain("wipe requested for travel-laptop");
    const oldHandle = await travel.getWindowHandle();
    await clickAndSwitch("sync-now", oldHandle, 60000, travel);
    const notice = await byTestId("firstrun-wiped", travel);
    await notice.waitForDisplayed({ timeout: 20000 });
    await expect(await byTestId("firstrun-wipe-report", travel)).toHaveText(
      expect.stringContaining("ontvangen"),
    );
    raise("travel");
    await screenshot("wiped-laptop");

    // Nothing of the vault is left in the profile, nor its keyring secret.
    const left = run("find", [paths.profiles.travel, "-type", "f"]).trim();
    expect(left).toBe("");
    expect(keyringEntries()).not.toContain(travelVault);
    expect(keyringEntries()).toContain(deskVault);

    // The store keeps the signed receipt and has revoked the laptop.
    const history = admin("history", "--device", "travel-laptop");
    expect(history).toContain("\twiped");
    expect(history).toContain("\twipe_receipt\t");
    const row = admin("devices")
      .split("\n")
      .map((line) => line.split("\t"))
      .find((columns) => columns[0] === "travel-laptop");
    expect(row?.[4]).toBe("wiped");

    // The desk keeps working with the store, and still has what the laptop sent.
    await syncUntil(desk, "up_to_date");
    await searchFinds(desk, `${marker}b`);
  });
});
