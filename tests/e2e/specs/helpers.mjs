// What every scenario needs: test-id lookup, typing, window swaps and
// screenshots of the real (virtual) display. Each helper acts on the session's
// app, or on `app` when a scenario drives more than one.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { run } from "../programs.mjs";

export const PASSPHRASE = "paarse olifanten dansen traag 4821";
export const screenshots = "../../docs/screenshots";
mkdirSync(screenshots, { recursive: true });

export const byTestId = (id, app = browser) => app.$(`[data-testid="${id}"]`);

/** Screenshot of the real (virtual) display: WebKitWebDriver's own screenshot
 *  hangs for windows the app opened after the session started. */
export async function screenshot(name) {
  await browser.pause(400);
  run("import", ["-window", "root", `${screenshots}/${name}.png`]);
}

/** The ids of the processes whose command line matches `pattern`. pgrep's
 *  exit status 1 means none matched; any other failure (pgrep missing, a bad
 *  pattern) is raised, not taken for "no such process". */
export function pidsOf(pattern) {
  return run("pgrep", ["-f", "--", pattern], { okStatuses: [0, 1] })
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

/** Waits until the app has replaced its window and switches to the new one. */
export async function switchToFreshWindow(oldHandle, timeout = 20000, app = browser) {
  let fresh;
  await app.waitUntil(
    async () => {
      const handles = await app.getWindowHandles();
      fresh = handles.find((handle) => handle !== oldHandle);
      return fresh !== undefined && !handles.includes(oldHandle);
    },
    { timeout, interval: 250, timeoutMsg: "the app did not swap its window" },
  );
  await app.switchToWindow(fresh);
  return fresh;
}

/** Types as a person does: X key events into the focused field (xdotool), so
 *  the text never passes through WebDriver, whose session lives in the app
 *  process, and a memory scan of that process counts only what the app itself
 *  keeps. Waits until the field holds as many characters as were typed,
 *  asking the page for the length only. */
export async function typeLikeAPerson(id, text, app = browser) {
  const element = await byTestId(id, app);
  await element.click();
  run("xdotool", ["type", "--delay", "5", text]);
  await app.waitUntil(
    async () =>
      (await app.execute(
        (testId) => document.querySelector(`[data-testid="${testId}"]`).value.length,
        id,
      )) === text.length,
    { timeout: 15000, interval: 200, timeoutMsg: `the typed text did not arrive in ${id}` },
  );
}

/** Whether the element shows `secret`, asked without sending the secret
 *  through WebDriver: the page gets it masked and unmasks it itself. */
export async function showsSecret(id, secret, app = browser) {
  const plain = Buffer.from(secret, "utf8");
  const mask = randomBytes(plain.length);
  const masked = Buffer.from(plain.map((byte, index) => byte ^ mask[index]));
  return app.execute(
    (testId, maskedHex, maskHex) => {
      const bytes = (hex) => hex.match(/../g).map((pair) => parseInt(pair, 16));
      const key = bytes(maskHex);
      const unmasked = String.fromCharCode(...bytes(maskedHex).map((byte, index) => byte ^ key[index]));
      return document.querySelector(`[data-testid="${testId}"]`).innerText.includes(unmasked);
    },
    id,
    masked.toString("hex"),
    mask.toString("hex"),
  );
}

export async function type(id, text, app = browser) {
  const element = await byTestId(id, app);
  await element.waitForDisplayed();
  await element.clearValue();
  await element.setValue(text);
}

export async function click(id, app = browser) {
  const element = await byTestId(id, app);
  await element.waitForClickable();
  await element.click();
}

/** Clicks a control that makes the app replace its window (create, unlock,
 *  lock). The old window may be gone before the click's answer arrives, so a
 *  "no such window" answer to the click itself means it worked. */
export async function clickAndSwitch(id, oldHandle, timeout = 20000, app = browser) {
  try {
    await click(id, app);
  } catch (error) {
    if (!String(error).includes("no such window")) throw error;
  }
  return switchToFreshWindow(oldHandle, timeout, app);
}
