import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "./lib/locale.svelte";
import { aSession, ok, someSettings } from "./test-support/fixtures";
import App from "./App.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("./test-support/commands"));
vi.mock("./lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

function status(vaultExists: boolean, unlocked: boolean, language: "nl" | "en" = "nl") {
  return {
    vaultExists,
    unlocked,
    demoPassphrase: null,
    language,
    enrolledPractitioner: null,
    enrollmentTokenPlaced: false,
    wipedAt: null,
    wipeReason: null,
    wipeReported: true,
  };
}

beforeEach(() => {
  resetCommands();
  commands.sessionInfo.mockResolvedValue(aSession("A"));
  commands.getSettings.mockResolvedValue(someSettings());
  commands.listClients.mockResolvedValue(ok([]));
  commands.recordActivity.mockResolvedValue(undefined);
  commands.resumePoint.mockResolvedValue(ok(null));
  commands.agendaDay.mockResolvedValue(ok({ date: "2025-01-13", consults: [] }));
  setLanguage("nl");
});

describe("App", () => {
  it("shows the first-run screen without a vault", async () => {
    commands.appStatus.mockResolvedValue(status(false, false));
    render(App);
    expect(await screen.findByTestId("firstrun-token")).toBeInTheDocument();
  });

  it("hands the practitioner a device was issued for to the first-run screen", async () => {
    commands.appStatus.mockResolvedValue({
      ...status(false, false),
      enrolledPractitioner: { id: "p-1", displayName: "Sanne de Vries", role: "psychologist" },
    });
    render(App);
    expect(await screen.findByTestId("firstrun-enrolled")).toHaveTextContent("Sanne de Vries");
    expect(screen.queryByTestId("firstrun-name")).toBeNull();
  });

  it("shows the lock screen for a locked vault, in the language from appStatus", async () => {
    commands.appStatus.mockResolvedValue(status(true, false, "en"));
    render(App);
    expect(await screen.findByTestId("lock-screen")).toHaveTextContent("Kluis is locked");
    expect(document.documentElement.lang).toBe("en");
  });

  it("shows the app when unlocked", async () => {
    commands.appStatus.mockResolvedValue(status(true, true));
    render(App);
    expect(await screen.findByTestId("app-shell")).toBeInTheDocument();
    expect(await screen.findByTestId("today-screen")).toBeInTheDocument();
  });

  it("shows a translated message when the back end cannot be reached", async () => {
    commands.appStatus.mockRejectedValue(new Error("window.__TAURI_INTERNALS__ is undefined"));
    render(App);
    const panel = await screen.findByTestId("start-error");
    expect(panel).toHaveTextContent("Kluis kon niet starten.");
    expect(panel).not.toHaveTextContent("TAURI");
  });
});
