import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { language, setLanguage } from "../lib/locale.svelte";
import { aPolicy, ok, someSettings } from "../test-support/fixtures";
import Settings from "./Settings.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

beforeEach(() => {
  resetCommands();
  commands.getSettings.mockResolvedValue(someSettings({ idleTimeoutSeconds: 30 }));
  commands.managedPolicy.mockResolvedValue(aPolicy());
  commands.passphraseStrength.mockResolvedValue({
    score: 4,
    acceptable: true,
    warning: null,
    suggestions: [],
  });
  setLanguage("nl");
});

describe("Settings", () => {
  it("marks nothing as managed without a policy", async () => {
    render(Settings);
    await screen.findByTestId("settings-idle");
    expect(screen.queryByTestId("settings-idle-managed")).toBeNull();
    expect(screen.queryByTestId("settings-minimize-managed")).toBeNull();
    expect(screen.queryByTestId("settings-managed")).toBeNull();
    expect(screen.getByTestId("settings-minimize")).not.toBeDisabled();
  });

  it("offers no idle time beyond the policy's limit and says who set it", async () => {
    commands.managedPolicy.mockResolvedValue(
      aPolicy({ maxIdleLockSeconds: 120, managed: { ...aPolicy().managed, maxIdleLockSeconds: true } }),
    );
    render(Settings);
    const idle = (await screen.findByTestId("settings-idle")) as HTMLSelectElement;
    expect([...idle.options].map((option) => option.textContent?.trim())).toEqual([
      "30 s",
      "1 minuut",
      "2 minuten",
    ]);
    expect(screen.getByTestId("settings-idle-managed")).toHaveTextContent(
      "Beheerd door uw organisatie Uw organisatie staat hoogstens 2 minuten toe.",
    );
  });

  it("keeps a lock on minimise the policy requires ticked, and lists what else IT fixed", async () => {
    commands.getSettings.mockResolvedValue(someSettings({ lockOnMinimize: true }));
    const managed = {
      maxIdleLockSeconds: false,
      lockOnMinimize: true,
      clipboardClearSeconds: true,
      wipeAfterFailedUnlocks: true,
      offlineGraceDays: true,
      allowedRegions: true,
    };
    commands.managedPolicy.mockResolvedValue(
      aPolicy({
        lockOnMinimize: true,
        clipboardClearSeconds: 20,
        wipeAfterFailedUnlocks: 10,
        offlineGraceDays: 14,
        offlineGraceAction: "wipe",
        allowedRegions: ["nl"],
        managed,
      }),
    );
    render(Settings);
    const minimize = (await screen.findByTestId("settings-minimize")) as HTMLInputElement;
    expect(minimize).toBeChecked();
    expect(minimize).toBeDisabled();
    expect(screen.getByTestId("settings-minimize-managed")).toBeInTheDocument();
    expect(screen.getByTestId("settings-managed-clipboard")).toHaveTextContent("na 20 seconden");
    expect(screen.getByTestId("settings-managed-wipe")).toHaveTextContent(
      "Na 10 verkeerde wachtwoordzinnen",
    );
    expect(screen.getByTestId("settings-managed-grace")).toHaveTextContent(
      "Na 14 dagen zonder contact met de centrale opslag wordt de kluis op dit apparaat gewist.",
    );
    expect(screen.getByTestId("settings-managed-regions")).toHaveTextContent("alleen bewaren in: NL.");
  });

  it("offers 1, 2 and 5 minutes and keeps an unusual current value", async () => {
    render(Settings);
    const idle = (await screen.findByTestId("settings-idle")) as HTMLSelectElement;
    expect([...idle.options].map((option) => option.textContent?.trim())).toEqual([
      "30 s",
      "1 minuut",
      "2 minuten",
      "5 minuten",
    ]);
    expect(idle.selectedOptions[0]?.textContent?.trim()).toBe("30 s");
  });

  it("saves the settings and applies the language at once", async () => {
    commands.updateSettings.mockImplementation(async (settings: unknown) => ({
      status: "ok",
      data: settings,
    }));
    render(Settings);
    const idle = await screen.findByTestId("settings-idle");
    await fireEvent.change(idle, { target: { value: "120" } });
    await fireEvent.click(screen.getByTestId("settings-minimize"));
    await fireEvent.change(screen.getByTestId("settings-language"), { target: { value: "en" } });
    expect(language()).toBe("en");
    expect(screen.getByText("Settings")).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("settings-save"));
    expect(commands.updateSettings).toHaveBeenCalledWith({
      idleTimeoutSeconds: 120,
      lockOnMinimize: true,
      language: "en",
    });
    expect(await screen.findByTestId("settings-saved")).toHaveTextContent("Settings saved.");
    expect(language()).toBe("en");
  });

  it("reverts an unsaved language choice on leaving", async () => {
    const { unmount } = render(Settings);
    await fireEvent.change(await screen.findByTestId("settings-language"), {
      target: { value: "en" },
    });
    expect(language()).toBe("en");
    unmount();
    expect(language()).toBe("nl");
  });

  it("shows a policy refusal next to the idle select", async () => {
    commands.updateSettings.mockResolvedValue({
      status: "error",
      error: {
        code: "validation",
        message: "exceeds policy",
        retryAfterSeconds: null,
        field: "idle_timeout_seconds",
      },
    });
    render(Settings);
    await screen.findByTestId("settings-idle");
    await fireEvent.click(screen.getByTestId("settings-save"));
    expect(await screen.findByText("Deze tijd is niet toegestaan door het beleid van uw organisatie.")).toBeInTheDocument();
  });

  it("changes the passphrase after checking the confirmation", async () => {
    commands.changePassphrase.mockResolvedValue(ok(null));
    render(Settings);
    await screen.findByTestId("settings-idle");
    const type = (testid: string, value: string) =>
      fireEvent.input(screen.getByTestId(testid), { target: { value } });

    await type("settings-current-passphrase", "oud");
    await type("settings-new-passphrase", "nieuw lang genoeg zin");
    await type("settings-confirm-passphrase", "nieuw lang genoeg");
    await fireEvent.click(screen.getByTestId("settings-change-passphrase"));
    expect(screen.getByTestId("settings-passphrase-error")).toHaveTextContent(
      "De wachtwoordzinnen komen niet overeen.",
    );
    expect(commands.changePassphrase).not.toHaveBeenCalled();

    await type("settings-confirm-passphrase", "nieuw lang genoeg zin");
    await fireEvent.click(screen.getByTestId("settings-change-passphrase"));
    expect(await screen.findByTestId("settings-passphrase-changed")).toBeInTheDocument();
    expect(commands.changePassphrase).toHaveBeenCalledWith("oud", "nieuw lang genoeg zin");
  });

  it("shows a wrong current passphrase", async () => {
    commands.changePassphrase.mockResolvedValue({
      status: "error",
      error: { code: "wrong_passphrase", message: "x", retryAfterSeconds: null, field: "current" },
    });
    render(Settings);
    await screen.findByTestId("settings-idle");
    for (const [testid, value] of [
      ["settings-current-passphrase", "fout"],
      ["settings-new-passphrase", "nieuw lang genoeg zin"],
      ["settings-confirm-passphrase", "nieuw lang genoeg zin"],
    ] as const) {
      await fireEvent.input(screen.getByTestId(testid), { target: { value } });
    }
    await fireEvent.click(screen.getByTestId("settings-change-passphrase"));
    expect(await screen.findByTestId("settings-passphrase-error")).toHaveTextContent(
      "Onjuiste wachtwoordzin.",
    );
  });
});
