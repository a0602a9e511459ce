import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import { ok } from "../test-support/fixtures";
import FirstRun from "./FirstRun.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const STRONG = { score: 4, acceptable: true, warning: null, suggestions: [] };
const WEAK = {
  score: 1,
  acceptable: false,
  warning: "This is a very common password.",
  suggestions: ["Add another word or two."],
};

// A lifestyle expert, so a request that kept the form's default role would be caught.
const ENROLLED = { id: "p-1", displayName: "Sanne de Vries", role: "lifestyle_expert" as const };

async function type(testid: string, value: string): Promise<void> {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } });
}

async function fill(passphrase: string, confirm: string): Promise<void> {
  await fireEvent.click(screen.getByTestId("firstrun-mode-standalone"));
  await type("firstrun-name", "Dr. A. de Vries");
  await fireEvent.change(screen.getByTestId("firstrun-role"), {
    target: { value: "lifestyle_expert" },
  });
  await type("firstrun-passphrase", passphrase);
  await type("firstrun-confirm", confirm);
}

beforeEach(() => {
  commands.passphraseStrength.mockReset();
  commands.createVault.mockReset();
  commands.enrollDevice.mockReset();
  commands.openEnrolledVault.mockReset();
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("FirstRun", () => {
  it("blocks submit when the passphrases do not match", async () => {
    commands.passphraseStrength.mockResolvedValue(STRONG);
    render(FirstRun);
    await fill("correct paard batterij nietje", "correct paard batterij nietjes");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));
    expect(await screen.findByText("De wachtwoordzinnen komen niet overeen.")).toBeInTheDocument();
    expect(commands.createVault).not.toHaveBeenCalled();
  });

  it("blocks submit when the passphrase is not acceptable", async () => {
    commands.passphraseStrength.mockResolvedValue(WEAK);
    render(FirstRun);
    await fill("welkom01", "welkom01");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));
    expect(
      await screen.findByTestId("firstrun-passphrase-error"),
    ).toHaveTextContent("niet sterk genoeg");
    expect(commands.createVault).not.toHaveBeenCalled();
  });

  it("requires a name", async () => {
    commands.passphraseStrength.mockResolvedValue(STRONG);
    render(FirstRun);
    await fireEvent.click(screen.getByTestId("firstrun-mode-standalone"));
    await type("firstrun-passphrase", "a b c d");
    await type("firstrun-confirm", "a b c d");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));
    expect(await screen.findByText("Vul uw naam in.")).toBeInTheDocument();
    expect(commands.createVault).not.toHaveBeenCalled();
  });

  it("shows live strength feedback, debounced, with the back end's English text", async () => {
    vi.useFakeTimers();
    commands.passphraseStrength.mockResolvedValue(WEAK);
    render(FirstRun);
    await type("firstrun-passphrase", "w");
    await type("firstrun-passphrase", "welkom");
    await type("firstrun-passphrase", "welkom01");
    expect(commands.passphraseStrength).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300);
    expect(commands.passphraseStrength).toHaveBeenCalledTimes(1);
    expect(commands.passphraseStrength).toHaveBeenCalledWith("welkom01");

    const meter = screen.getByTestId("firstrun-strength");
    expect(meter).toHaveAttribute("data-score", "1");
    expect(meter).toHaveAttribute("data-acceptable", "false");
    expect(meter).toHaveTextContent("Waarschuwing");
    expect(meter).toHaveTextContent("This is a very common password.");
    expect(meter).toHaveTextContent("Add another word or two.");
  });

  it("creates the vault with a busy state, then shows 'opening'", async () => {
    commands.passphraseStrength.mockResolvedValue(STRONG);
    let finish: (value: unknown) => void = () => {};
    commands.createVault.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    render(FirstRun);
    await fill("correct paard batterij nietje", "correct paard batterij nietje");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));

    expect(await screen.findByText("Kluis wordt aangemaakt…")).toBeInTheDocument();
    expect(screen.getByTestId("firstrun-submit")).toBeDisabled();
    expect(commands.createVault).toHaveBeenCalledWith({
      passphrase: "correct paard batterij nietje",
      practitionerName: "Dr. A. de Vries",
      role: "lifestyle_expert",
    });

    finish(ok(null));
    expect(await screen.findByText("Kluis wordt geopend…")).toBeInTheDocument();
  });

  it("on a device IT issued, says whom it is for and asks only for a passphrase", async () => {
    commands.passphraseStrength.mockResolvedValue(STRONG);
    commands.createVault.mockResolvedValue(ok(null));
    render(FirstRun, { enrolled: ENROLLED });
    expect(screen.getByTestId("firstrun-enrolled")).toHaveTextContent(
      "Dit apparaat is door IT ingericht voor Sanne de Vries (leefstijlexpert).",
    );
    expect(screen.queryByTestId("firstrun-name")).toBeNull();
    expect(screen.queryByTestId("firstrun-role")).toBeNull();

    await type("firstrun-passphrase", "correct paard batterij nietje");
    await type("firstrun-confirm", "correct paard batterij nietje");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));
    await vi.waitFor(() => expect(commands.createVault).toHaveBeenCalledOnce());
    expect(commands.createVault).toHaveBeenCalledWith({
      passphrase: "correct paard batterij nietje",
      practitionerName: "Sanne de Vries",
      role: "lifestyle_expert",
    });
    expect(screen.queryByText("Vul uw naam in.")).toBeNull();
    expect(await screen.findByText("Kluis wordt geopend…")).toBeInTheDocument();
  });

  it("names the enrolled practitioner's role in English too", async () => {
    setLanguage("en");
    render(FirstRun, {
      enrolled: { id: "p-2", displayName: "Joris Bakker", role: "psychologist" },
    });
    expect(screen.getByTestId("firstrun-enrolled")).toHaveTextContent(
      "IT set up this device for Joris Bakker (psychologist).",
    );
  });

  it("still checks the passphrases on a device IT issued", async () => {
    commands.passphraseStrength.mockResolvedValue(STRONG);
    render(FirstRun, { enrolled: ENROLLED });
    await type("firstrun-passphrase", "correct paard batterij nietje");
    await type("firstrun-confirm", "correct paard batterij");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));
    expect(await screen.findByTestId("firstrun-mismatch")).toBeInTheDocument();
    expect(commands.createVault).not.toHaveBeenCalled();
  });

  it("shows a translated back-end error", async () => {
    commands.passphraseStrength.mockResolvedValue(STRONG);
    commands.createVault.mockResolvedValue({
      status: "error",
      error: { code: "keyring_unavailable", message: "dbus", retryAfterSeconds: null, field: null },
    });
    render(FirstRun);
    await fill("correct paard batterij nietje", "correct paard batterij nietje");
    await fireEvent.click(screen.getByTestId("firstrun-submit"));
    const error = await screen.findByTestId("firstrun-error");
    expect(error).toHaveTextContent("Secret Service");
    expect(error).not.toHaveTextContent("dbus");
    expect(screen.getByTestId("firstrun-submit")).toBeEnabled();
  });

  it("after a remote wipe, says when IT had the device erased and whether the store has the proof", async () => {
    render(FirstRun, { wipedAt: "2026-12-02T08:15:00Z", wipeReported: false });
    const notice = screen.getByTestId("firstrun-wiped");
    expect(notice).toHaveTextContent("gewist op 02-12-2026 09:15");
    expect(screen.getByTestId("firstrun-wipe-report")).toHaveTextContent(
      "zodra die bereikbaar is",
    );
    // The practitioner can enroll again at once.
    expect(screen.getByTestId("firstrun-token")).toBeInTheDocument();
  });

  it("says why the policy had the device erased", () => {
    render(FirstRun, {
      wipedAt: "2026-12-02T08:15:00Z",
      wipeReason: "failed_unlocks",
      wipeReported: false,
    });
    expect(screen.getByTestId("firstrun-wiped")).toHaveTextContent(
      "te vaak een verkeerde wachtwoordzin ingevoerd",
    );
  });

  it("says nothing of a wipe on a device that was never wiped", () => {
    render(FirstRun, {});
    expect(screen.queryByTestId("firstrun-wiped")).toBeNull();
  });

  it("says in English that the store has the proof of erasure", () => {
    setLanguage("en");
    render(FirstRun, { wipedAt: "2026-12-02T08:15:00Z", wipeReported: true });
    expect(screen.getByTestId("firstrun-wipe-report")).toHaveTextContent(
      "The central store has received the proof of erasure.",
    );
  });

  describe("enrollment with IT's code", () => {
    const TOKEN = "kluis-enroll-1.eyJzdG9yZV91cmwiOiJodHRwczovL2tsdWlzIn0";

    it("is the first choice, and asks for the code before anything is sent", async () => {
      commands.passphraseStrength.mockResolvedValue(STRONG);
      render(FirstRun);
      expect(screen.getByTestId("firstrun-token")).toBeInTheDocument();
      expect(screen.queryByTestId("firstrun-name")).toBeNull();
      await type("firstrun-passphrase", "correct paard batterij nietje");
      await type("firstrun-confirm", "correct paard batterij nietje");
      await fireEvent.click(screen.getByTestId("firstrun-submit"));
      expect(await screen.findByText("Plak de inschrijfcode van IT.")).toBeInTheDocument();
      expect(commands.enrollDevice).not.toHaveBeenCalled();
    });

    it("enrolls with the pasted code, shows the key's words, and opens the app on request", async () => {
      commands.passphraseStrength.mockResolvedValue(STRONG);
      commands.enrollDevice.mockResolvedValue(
        ok({ practitionerName: "Anna de Vries", role: "psychologist", keyWords: "aap-bank-duin-kaas-zon" }),
      );
      commands.openEnrolledVault.mockResolvedValue(ok(null));
      render(FirstRun);
      await type("firstrun-token", TOKEN);
      await type("firstrun-passphrase", "correct paard batterij nietje");
      await type("firstrun-confirm", "correct paard batterij nietje");
      await fireEvent.click(screen.getByTestId("firstrun-submit"));
      expect(await screen.findByTestId("firstrun-key-words")).toHaveTextContent("aap-bank-duin-kaas-zon");
      expect(screen.getByTestId("firstrun-enrolled-device")).toHaveTextContent(
        "Dit apparaat is ingeschreven voor Anna de Vries (psycholoog).",
      );
      expect(commands.enrollDevice).toHaveBeenCalledWith({
        token: TOKEN,
        passphrase: "correct paard batterij nietje",
      });
      expect(commands.openEnrolledVault).not.toHaveBeenCalled();
      await fireEvent.click(screen.getByTestId("firstrun-continue"));
      expect(commands.openEnrolledVault).toHaveBeenCalledOnce();
    });

    it("uses the code IT placed without asking for one", async () => {
      commands.passphraseStrength.mockResolvedValue(STRONG);
      commands.enrollDevice.mockResolvedValue(
        ok({ practitionerName: "Anna de Vries", role: "psychologist", keyWords: "aap-bank-duin-kaas-zon" }),
      );
      render(FirstRun, { tokenPlaced: true });
      expect(screen.queryByTestId("firstrun-token")).toBeNull();
      expect(screen.getByTestId("firstrun-token-placed")).toBeInTheDocument();
      await type("firstrun-passphrase", "correct paard batterij nietje");
      await type("firstrun-confirm", "correct paard batterij nietje");
      await fireEvent.click(screen.getByTestId("firstrun-submit"));
      await screen.findByTestId("firstrun-key-words");
      expect(commands.enrollDevice).toHaveBeenCalledWith({
        token: null,
        passphrase: "correct paard batterij nietje",
      });
    });

    it("says in words what is wrong with a used code, and keeps the form", async () => {
      commands.passphraseStrength.mockResolvedValue(STRONG);
      commands.enrollDevice.mockResolvedValue({
        status: "error",
        error: { code: "enrollment_token_used", message: "", retryAfterSeconds: null, field: null },
      });
      render(FirstRun);
      await type("firstrun-token", TOKEN);
      await type("firstrun-passphrase", "correct paard batterij nietje");
      await type("firstrun-confirm", "correct paard batterij nietje");
      await fireEvent.click(screen.getByTestId("firstrun-submit"));
      expect(await screen.findByTestId("firstrun-error")).toHaveTextContent(
        "Deze inschrijfcode is al gebruikt. Vraag IT om een nieuwe code voor dit apparaat.",
      );
      expect(screen.getByTestId("firstrun-token")).toBeInTheDocument();
    });
  });
});
