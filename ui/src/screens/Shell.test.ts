import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import Shell from "./Shell.svelte";

const commands = vi.hoisted(() => ({
  sessionInfo: vi.fn(),
  getSettings: vi.fn(),
  listClients: vi.fn(),
  lock: vi.fn(),
  recordActivity: vi.fn(),
}));
vi.mock("../lib/bindings", () => ({ commands }));

beforeEach(() => {
  for (const mock of Object.values(commands)) mock.mockReset();
  commands.sessionInfo.mockResolvedValue({
    status: "ok",
    data: { practitionerName: "Dr. A. de Vries", role: "psychologist" },
  });
  commands.getSettings.mockResolvedValue({
    idleTimeoutSeconds: 300,
    lockOnMinimize: false,
    language: "nl",
  });
  commands.listClients.mockResolvedValue({ status: "ok", data: [] });
  commands.lock.mockReturnValue(new Promise(() => {}));
  commands.recordActivity.mockResolvedValue(undefined);
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Shell", () => {
  it("shows the sidebar and the session", async () => {
    render(Shell);
    expect(screen.getByTestId("app-shell")).toBeInTheDocument();
    expect(screen.getByTestId("nav-clients")).toHaveTextContent("Cliënten");
    expect(screen.getByTestId("nav-settings")).toHaveTextContent("Instellingen");
    expect(screen.getByTestId("lock-button")).toHaveTextContent("Vergrendelen");
    expect(await screen.findByText("Dr. A. de Vries")).toBeInTheDocument();
    expect(screen.getByText("Psycholoog")).toBeInTheDocument();
    expect(await screen.findByTestId("clients-list")).toBeInTheDocument();
  });

  it("takes the language from the settings after unlock", async () => {
    commands.getSettings.mockResolvedValue({
      idleTimeoutSeconds: 300,
      lockOnMinimize: false,
      language: "en",
    });
    render(Shell);
    expect(await screen.findByText("Clients", { selector: "button" })).toBeInTheDocument();
  });

  it("locks on Ctrl+L and hides the content meanwhile", async () => {
    render(Shell);
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    expect(commands.lock).toHaveBeenCalledTimes(1);
    expect(await screen.findByText("Kluis wordt vergrendeld…")).toBeInTheDocument();
    expect(screen.queryByTestId("app-shell")).toBeNull();
  });

  it("locks on Cmd+L from inside a text field", async () => {
    commands.lock.mockResolvedValue({ status: "ok", data: null });
    render(Shell);
    const search = await screen.findByTestId("clients-search");
    await fireEvent.keyDown(search, { key: "L", metaKey: true });
    expect(commands.lock).toHaveBeenCalledTimes(1);
  });

  it("locks with the button and shows a failed lock", async () => {
    commands.lock.mockResolvedValue({
      status: "error",
      error: { code: "internal", message: "x", retryAfterSeconds: null, field: null },
    });
    render(Shell);
    await fireEvent.click(screen.getByTestId("lock-button"));
    expect(await screen.findByTestId("lock-failed")).toHaveTextContent("Er ging iets mis");
    expect(screen.getByTestId("app-shell")).toBeInTheDocument();
  });

  it("reports activity at most once every 2 seconds", async () => {
    vi.useFakeTimers();
    render(Shell);
    for (let i = 0; i < 20; i++) await fireEvent.mouseMove(document.body);
    await fireEvent.keyDown(document.body, { key: "a" });
    expect(commands.recordActivity).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    await fireEvent.wheel(document.body);
    expect(commands.recordActivity).toHaveBeenCalledTimes(2);
  });

  it("navigates to settings", async () => {
    render(Shell);
    await fireEvent.click(screen.getByTestId("nav-settings"));
    expect(await screen.findByTestId("settings-idle")).toBeInTheDocument();
    expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
  });
});
