// The clinical-record scenario, as a psychologist's day goes: plan a consult
// for today, open it, write a SOAP note, walk away mid-sentence so the idle
// lock fires, unlock and find the draft intact, sign it, add an addendum,
// find the note by searching, and see all of it in the client's access log.
// Then two lifestyle check-ins with the WHO-5 index draw its graph on the
// timeline, and the client's copy of the record is exported from the privacy
// tab as a PDF that holds the note (read back with pdftotext).
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { run } from "../programs.mjs";
import { expect } from "@wdio/globals";
import {
  PASSPHRASE,
  byTestId,
  click,
  clickAndSwitch,
  screenshot,
  screenshots,
  switchToFreshWindow,
  type,
} from "./helpers.mjs";

const marker = `mk${randomBytes(4).toString("hex")}`;
const CLIENT_FIRST_NAME = "Noor";
const subjective = `Cliënt vertelt over één onrustige week met weinig slaap (${marker}).`;
const midSentence = "Volgende afspraak over twee weken; tot dan dagelijks een slaapdagboek bijhou";

/** Opens the app whatever state the profile is in: first run or locked. */
async function enterApp() {
  let handle = await browser.getWindowHandle();
  const firstRun = await byTestId("firstrun-mode-standalone");
  const lockScreen = await byTestId("lock-passphrase");
  await browser.waitUntil(async () => (await firstRun.isExisting()) || (await lockScreen.isExisting()), {
    timeout: 20000,
    timeoutMsg: "neither first run nor the lock screen appeared",
  });
  if (await firstRun.isExisting()) {
    await (await byTestId("firstrun-mode-standalone")).click();
    await type("firstrun-name", "Eva Tester");
    await (await byTestId("firstrun-role")).selectByAttribute("value", "psychologist");
    await type("firstrun-passphrase", PASSPHRASE);
    await type("firstrun-confirm", PASSPHRASE);
    handle = await clickAndSwitch("firstrun-submit", handle);
  } else {
    await type("lock-passphrase", PASSPHRASE);
    handle = await clickAndSwitch("lock-submit", handle);
  }
  await (await byTestId("app-shell")).waitForDisplayed({ timeout: 20000 });
  return handle;
}

async function textOf(id) {
  const element = await byTestId(id);
  await element.waitForDisplayed();
  return element.getValue();
}

describe("Kluis clinical record", () => {
  let handle;

  it("adds a client and plans a consult for today", async () => {
    handle = await enterApp();
    await click("nav-clients");
    await click("clients-new");
    await type("client-first-name", CLIENT_FIRST_NAME);
    await type("client-last-name", "Visser");
    await type("client-email", "noor.visser@example.nl");
    await type("client-birth-year", "1991");
    await type("client-phone", "06 8765 4321");
    await type("client-care-start", "02-11-2026");
    await type("client-health-consent-date", "02-11-2026");
    await click("client-save");
    await (await byTestId("client-view")).waitForDisplayed();

    await click("nav-today");
    await (await byTestId("today-screen")).waitForDisplayed();
    await click("consult-plan-open");
    await (await byTestId("consult-form")).waitForDisplayed();
    const clientSelect = await byTestId("consult-client");
    const options = await clientSelect.$$("option");
    let clientId;
    for (const option of options) {
      if ((await option.getText()).startsWith(`${CLIENT_FIRST_NAME} Visser`)) {
        clientId = await option.getAttribute("value");
      }
    }
    expect(clientId).toBeTruthy();
    await clientSelect.selectByAttribute("value", clientId);
    await (await byTestId("consult-kind")).selectByAttribute("value", "video");
    await type("consult-time", "09:30");
    await type("consult-duration", "50");
    await click("consult-save");
    const consult = await byTestId("today-consult");
    await consult.waitForDisplayed();
    await expect(consult).toHaveText(expect.stringContaining("09:30"));
    await expect(consult).toHaveText(expect.stringContaining(CLIENT_FIRST_NAME));
    await screenshot("agenda-today");
    await click("nav-week");
    await (await byTestId("week-screen")).waitForDisplayed();
    await (await byTestId("week-consult")).waitForDisplayed();
    await screenshot("agenda-week");
    await click("nav-today");
  });

  it("opens the consult and writes a SOAP note", async () => {
    await click("consult-write-note");
    await (await byTestId("note-new-dialog")).waitForDisplayed();
    await (await byTestId("note-template")).selectByAttribute("value", "soap");
    await (await byTestId("note-visibility")).selectByAttribute("value", "care_team");
    await click("note-create");
    await (await byTestId("note-editor")).waitForDisplayed();
    await type("note-section-subjective", subjective);
    await type("note-section-objective", "Oogt moe, spreekt rustig, goed contact.");
    await type("note-section-assessment", "Slaapproblemen bij werkdruk; geen crisis.");
    await type("note-section-plan", midSentence);
    const status = await byTestId("note-save-status");
    await browser.waitUntil(async () => /Opgeslagen|Saved/.test(await status.getText()), {
      timeout: 10000,
      timeoutMsg: "the draft was not autosaved",
    });
  });

  it("locks by itself mid-note, and after unlocking the draft is intact", async () => {
    // No input from here on: the run's 30 s idle timeout fires.
    handle = await switchToFreshWindow(handle, 60000);
    await (await byTestId("lock-screen")).waitForDisplayed();
    const html = await browser.execute(() => document.documentElement.outerHTML);
    expect(html).not.toContain(marker);
    await type("lock-passphrase", PASSPHRASE);
    handle = await clickAndSwitch("lock-submit", handle);
    await (await byTestId("note-editor")).waitForDisplayed({ timeout: 20000 });
    expect(await textOf("note-section-subjective")).toBe(subjective);
    expect(await textOf("note-section-plan")).toBe(midSentence);
  });

  it("signs the note and adds an addendum", async () => {
    await type("note-section-plan", `${midSentence}den.`);
    const status = await byTestId("note-save-status");
    await browser.waitUntil(async () => /Opgeslagen|Saved/.test(await status.getText()), {
      timeout: 10000,
    });
    await click("note-sign");
    await click("note-sign-confirm");
    const banner = await byTestId("note-signed-banner");
    await banner.waitForDisplayed();
    await expect(banner).toHaveText(expect.stringContaining("Eva Tester"));
    await type("addendum-reason", "Aanvulling na telefonisch contact");
    await type("addendum-text", "Cliënt meldt dat het slaapdagboek is gestart.");
    await click("addendum-save");
    const addendum = await byTestId("addendum");
    await addendum.waitForDisplayed();
    await expect(addendum).toHaveText(expect.stringContaining("Aanvulling na telefonisch contact"));
    await screenshot("note-editor");
    await click("note-close");
  });

  it("finds the note by searching without diacritics", async () => {
    await click("nav-search");
    await (await byTestId("search-screen")).waitForDisplayed();
    // "een" must find "één", and the random marker pins it to this run's note.
    await type("search-input", `een ${marker}`);
    await click("search-submit");
    const result = await byTestId("search-result");
    await result.waitForDisplayed();
    await expect(result).toHaveAttribute("data-kind", "note");
    await expect(result).toHaveText(expect.stringContaining(CLIENT_FIRST_NAME));
    await screenshot("search");
    await result.click();
    await (await byTestId("note-editor")).waitForDisplayed();
    await click("note-close");
  });

  it("shows the client's timeline and access log with these actions", async () => {
    await click("nav-clients");
    await (await byTestId("client-row")).waitForDisplayed();
    const rows = await $$('[data-testid="client-row"]');
    let opened = false;
    for (const row of rows) {
      if ((await row.getText()).includes(`${CLIENT_FIRST_NAME}`)) {
        await (await row.$("button")).click();
        opened = true;
        break;
      }
    }
    expect(opened).toBe(true);
    await (await byTestId("client-view")).waitForDisplayed();
    await click("client-tab-timeline");
    await (await byTestId("timeline-item")).waitForDisplayed();
    const kinds = await $$('[data-testid="timeline-item"]').map((item) => item.getAttribute("data-kind"));
    expect(kinds).toContain("consult");
    expect(kinds).toContain("note");
    expect(kinds).toContain("addendum");
    await screenshot("client-timeline");

    await click("client-tab-access-log");
    await (await byTestId("access-log-row")).waitForDisplayed();
    const entries = await $$('[data-testid="access-log-row"]').map(async (row) => ({
      action: await row.getAttribute("data-action"),
      part: await row.getAttribute("data-part"),
    }));
    const has = (action, part) => entries.some((entry) => entry.action === action && entry.part === part);
    expect(has("create", "client")).toBe(true);
    expect(has("create", "consult")).toBe(true);
    expect(has("create", "note")).toBe(true);
    expect(has("update", "note")).toBe(true);
    expect(has("read", "note")).toBe(true);
    expect(has("sign", "note")).toBe(true);
    expect(has("create", "note_addendum")).toBe(true);
    expect(has("read", "timeline")).toBe(true);
    await click("access-log-verify");
    await (await byTestId("access-log-intact")).waitForDisplayed();
    await screenshot("access-log");
  });

  it("writes two lifestyle check-ins with the WHO-5 and shows their scores as a graph", async () => {
    const who5 = ["who5_cheerful", "who5_calm", "who5_active", "who5_rested", "who5_interest"];
    for (const [answer, sleep] of [
      ["2", "Slaapt onrustig."],
      ["4", "Slaapt weer door."],
    ]) {
      await click("client-new-note");
      await (await byTestId("note-new-dialog")).waitForDisplayed();
      await (await byTestId("note-template")).selectByAttribute("value", "lifestyle_check_in");
      await (await byTestId("note-visibility")).selectByAttribute("value", "care_team");
      await click("note-create");
      await (await byTestId("note-editor")).waitForDisplayed();
      await type("note-section-sleep", sleep);
      for (const item of who5) await click(`who5-${item}-${answer}`);
      const score = await byTestId("who5-score");
      await expect(score).toHaveText(expect.stringContaining(`${Number(answer) * 20} / 100`));
      const status = await byTestId("note-save-status");
      await browser.waitUntil(async () => /Opgeslagen|Saved/.test(await status.getText()), {
        timeout: 10000,
        timeoutMsg: "the check-in was not autosaved",
      });
      await click("note-sign");
      await click("note-sign-confirm");
      await (await byTestId("note-signed-banner")).waitForDisplayed();
      await click("note-close");
      await (await byTestId("client-view")).waitForDisplayed();
    }
    await click("client-tab-timeline");
    const graph = await byTestId("who5-graph");
    await graph.waitForDisplayed();
    const points = await $$('[data-testid="who5-point"]');
    expect(points.length).toBe(2);
    await screenshot("who5-graph");
  });

  it("exports the client's copy as a PDF and JSON that hold the note, and logs it", async () => {
    await click("client-tab-privacy");
    await click("privacy-export-submit");
    const done = await byTestId("privacy-export-done");
    await done.waitForDisplayed({ timeout: 30000 });
    const pdf = await (await byTestId("privacy-export-pdf")).getText();
    const json = await (await byTestId("privacy-export-json")).getText();
    try {
      expect(existsSync(pdf)).toBe(true);
      const text = run("pdftotext", [pdf, "-"]);
      expect(text).toContain(marker);
      expect(text).toContain("Inzage in het dossier van Noor");
      expect(text).toContain("WHO-5");
      run("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, `${screenshots}/export-pdf-page`]);
    } finally {
      // The copy is for the client: it does not stay on the test machine.
      rmSync(pdf, { force: true });
      rmSync(json, { force: true });
    }
    await click("client-tab-access-log");
    await (await byTestId("access-log-row")).waitForDisplayed();
    const actions = await $$('[data-testid="access-log-row"]').map((row) => row.getAttribute("data-action"));
    expect(actions).toContain("export");
  });
});
