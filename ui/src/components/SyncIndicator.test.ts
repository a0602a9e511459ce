import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import SyncIndicator from "./SyncIndicator.svelte";

const commands = vi.hoisted(() => ({
  syncStatus: vi.fn(),
  syncNow: vi.fn(),
}));
vi.mock("../lib/bindings", () => ({ commands }));

function status(state: string, pending = 0, lastSuccessAt: string | null = null) {
  return { state, pending, lastSuccessAt, message: null };
}

describe("SyncIndicator", () => {
  beforeEach(() => {
    setLanguage("nl");
    commands.syncStatus.mockReset();
    commands.syncNow.mockReset();
  });

  it("shows nothing when the device is not connected to a store", async () => {
    commands.syncStatus.mockResolvedValue(status("not_configured"));
    render(SyncIndicator);
    await vi.waitFor(() => expect(commands.syncStatus).toHaveBeenCalled());
    expect(screen.queryByTestId("sync-indicator")).toBeNull();
  });

  it("says when it was last up to date, in Amsterdam time", async () => {
    commands.syncStatus.mockResolvedValue(status("up_to_date", 0, "2026-11-25T08:10:00Z"));
    render(SyncIndicator);
    const indicator = await screen.findByTestId("sync-indicator");
    expect(indicator).toHaveTextContent("Bijgewerkt om 09:10");
    expect(screen.queryByTestId("sync-pending")).toBeNull();
  });

  it("shows offline with the changes that wait, and syncs on request", async () => {
    commands.syncStatus.mockResolvedValue(status("offline", 3));
    render(SyncIndicator);
    const indicator = await screen.findByTestId("sync-indicator");
    expect(indicator).toHaveAttribute("data-state", "offline");
    expect(indicator).toHaveTextContent("Offline — u kunt gewoon doorwerken");
    expect(screen.getByTestId("sync-pending")).toHaveTextContent("3 wijziging(en) wachten");
    await fireEvent.click(screen.getByTestId("sync-now"));
    expect(commands.syncNow).toHaveBeenCalledOnce();
  });

  it("tells the user to contact IT when the store refuses the device", async () => {
    setLanguage("en");
    commands.syncStatus.mockResolvedValue(status("refused"));
    render(SyncIndicator);
    expect(await screen.findByTestId("sync-indicator")).toHaveTextContent(
      "Sync refused — contact IT",
    );
  });
});
