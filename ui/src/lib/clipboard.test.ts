import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { trackCopies } from "./clipboard";

// jsdom has neither ClipboardEvent nor DataTransfer: a plain cancelable event carries a
// clipboardData stub that records what the listener writes.
function clipboardEvent(type: "copy" | "cut"): { event: Event; written: Map<string, string> } {
  const written = new Map<string, string>();
  const event = new Event(type, { bubbles: true, cancelable: true, composed: true });
  Object.defineProperty(event, "clipboardData", {
    value: {
      setData: (format: string, data: string) => void written.set(format, data),
      getData: (format: string) => written.get(format) ?? "",
    },
  });
  return { event, written };
}

/** Gives pending reports (sent from a microtask) time to run. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const REMARK = "Cliënt meldt: slaapt slecht — “angst” ☕ 😟";

let stop: (() => void) | null = null;

beforeEach(() => {
  document.body.innerHTML = "";
  document.getSelection()?.removeAllRanges();
});

afterEach(() => {
  stop?.();
  stop = null;
  vi.restoreAllMocks();
});

describe("trackCopies", () => {
  it("writes exactly the selected page text on copy and reports the copy", async () => {
    const paragraph = document.createElement("p");
    paragraph.textContent = `Voor: ${REMARK} :na`;
    document.body.append(paragraph);
    const text = paragraph.firstChild as Text;
    const start = text.data.indexOf(REMARK);
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + REMARK.length);
    document.getSelection()?.addRange(range);

    const report = vi.fn();
    stop = trackCopies(document, report);
    const { event, written } = clipboardEvent("copy");
    paragraph.dispatchEvent(event);

    expect(event.defaultPrevented).toBe(true);
    expect([...written]).toEqual([["text/plain", REMARK]]);
    await vi.waitFor(() => expect(report).toHaveBeenCalledTimes(1));
    expect(report.mock.calls).toEqual([[]]);
  });

  it("takes the partial selection inside a focused textarea", async () => {
    const area = document.createElement("textarea");
    area.value = "Eerste regel\nTweede regel met crème\nDerde";
    document.body.append(area);
    area.focus();
    const selected = "regel\nTweede regel met crème";
    const start = area.value.indexOf(selected);
    area.setSelectionRange(start, start + selected.length);

    const report = vi.fn();
    stop = trackCopies(document, report);
    const { event, written } = clipboardEvent("copy");
    area.dispatchEvent(event);

    expect(event.defaultPrevented).toBe(true);
    expect(written.get("text/plain")).toBe(selected);
    await vi.waitFor(() => expect(report).toHaveBeenCalledTimes(1));
    expect(report.mock.calls).toEqual([[]]);
  });

  it("reports a cut without preventing it, so the browser still removes the text", async () => {
    const input = document.createElement("input");
    input.type = "text";
    input.value = "De Vries, Jan";
    document.body.append(input);
    input.focus();
    input.setSelectionRange(3, 8);

    const report = vi.fn();
    stop = trackCopies(document, report);
    const { event, written } = clipboardEvent("cut");
    input.dispatchEvent(event);

    expect(event.defaultPrevented).toBe(false);
    expect(written.size).toBe(0);
    await vi.waitFor(() => expect(report).toHaveBeenCalledTimes(1));
    expect(report.mock.calls).toEqual([[]]);
  });

  it("does nothing for an empty selection, and the same listener does report a real one", async () => {
    const area = document.createElement("textarea");
    area.value = "Niets geselecteerd";
    document.body.append(area);
    area.focus();
    area.setSelectionRange(4, 4);

    const report = vi.fn();
    stop = trackCopies(document, report);
    const empty = clipboardEvent("copy");
    area.dispatchEvent(empty.event);
    const emptyCut = clipboardEvent("cut");
    area.dispatchEvent(emptyCut.event);
    await settle();

    expect(empty.event.defaultPrevented).toBe(false);
    expect(empty.written.size).toBe(0);
    expect(report).not.toHaveBeenCalled();

    area.setSelectionRange(0, 5);
    const real = clipboardEvent("copy");
    area.dispatchEvent(real.event);
    await vi.waitFor(() => expect(report).toHaveBeenCalledTimes(1));
    expect(report.mock.calls).toEqual([[]]);
  });

  it("leaves a password field alone", async () => {
    const input = document.createElement("input");
    input.type = "password";
    input.value = "geheim wachtwoord";
    document.body.append(input);
    input.focus();
    input.setSelectionRange(0, 6);

    const report = vi.fn();
    stop = trackCopies(document, report);
    const { event, written } = clipboardEvent("copy");
    input.dispatchEvent(event);
    input.dispatchEvent(clipboardEvent("cut").event);
    await settle();

    expect(event.defaultPrevented).toBe(false);
    expect(written.size).toBe(0);
    expect(report).not.toHaveBeenCalled();
  });

  it("does not report a cut of page text, which nothing can remove", async () => {
    const paragraph = document.createElement("p");
    paragraph.textContent = "Alleen lezen";
    document.body.append(paragraph);
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    document.getSelection()?.addRange(range);

    const report = vi.fn();
    stop = trackCopies(document, report);
    paragraph.dispatchEvent(clipboardEvent("cut").event);
    await settle();
    expect(report).not.toHaveBeenCalled();
  });

  it("stops listening when the returned function is called", async () => {
    const area = document.createElement("textarea");
    area.value = "Na het vergrendelen";
    document.body.append(area);
    area.focus();
    area.setSelectionRange(0, 3);

    const report = vi.fn();
    trackCopies(document, report)();
    const copy = clipboardEvent("copy");
    area.dispatchEvent(copy.event);
    area.dispatchEvent(clipboardEvent("cut").event);
    await settle();

    expect(copy.event.defaultPrevented).toBe(false);
    expect(copy.written.size).toBe(0);
    expect(report).not.toHaveBeenCalled();
  });

  it("keeps a failing report inside the listener and logs it without the text", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const area = document.createElement("textarea");
    area.value = REMARK;
    document.body.append(area);
    area.focus();
    area.select();

    const rejecting = vi.fn(() => Promise.reject(new Error("ipc broken")));
    stop = trackCopies(document, rejecting);
    const rejected = clipboardEvent("copy");
    expect(() => area.dispatchEvent(rejected.event)).not.toThrow();
    expect(rejected.event.defaultPrevented).toBe(true);
    expect(rejected.written.get("text/plain")).toBe(REMARK);
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(1));
    expect(rejecting.mock.calls).toEqual([[]]);
    stop();

    const throwing = vi.fn(() => {
      throw new Error("no back end");
    });
    stop = trackCopies(document, throwing);
    expect(() => area.dispatchEvent(clipboardEvent("cut").event)).not.toThrow();
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(2));
    expect(throwing.mock.calls).toEqual([[]]);

    const logged = warn.mock.calls
      .flat()
      .map((part) => (part instanceof Error ? `${part.message} ${part.stack ?? ""}` : String(part)))
      .join(" ");
    expect(logged).toContain("ipc broken");
    expect(logged).toContain("no back end");
    expect(logged).not.toContain(REMARK);
    expect(logged).not.toContain("slaapt");
  });
});
