import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncState, SyncStatus } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import SyncIndicator from "./SyncIndicator.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

function status(
  state: string,
  pending = 0,
  lastSuccessAt: string | null = null,
  more: Partial<SyncStatus> = {},
): SyncStatus {
  return {
    state: state as SyncState,
    pending,
    lastSuccessAt,
    message: null,
    conflicts: 0,
    progress: null,
    ...more,
  };
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
    commands.syncNow.mockResolvedValue(undefined);
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
    const indicator = await screen.findByTestId("sync-indicator");
    expect(indicator).toHaveAttribute("data-state", "refused");
    expect(screen.getByTestId("sync-refused")).toHaveTextContent(
      "The server refuses this device. Contact IT.",
    );
    expect(screen.queryByTestId("sync-details")).toBeNull();
  });

  it("says in Dutch what happened and what to do, with the English reason as details", async () => {
    commands.syncStatus.mockResolvedValue(
      status("refused", 0, null, { message: "the device certificate was revoked" }),
    );
    render(SyncIndicator);
    expect(await screen.findByTestId("sync-refused")).toHaveTextContent(
      "De server weigert dit apparaat. Neem contact op met IT.",
    );
    const details = screen.getByTestId("sync-details");
    expect(details).toHaveTextContent("Details (Engelstalig)");
    expect(details).toHaveTextContent("the device certificate was revoked");
    expect(screen.getByTestId("sync-indicator")).not.toHaveTextContent("Offline");
  });

  it("says a failed round on this device loses nothing and is retried, not that IT must act", async () => {
    commands.syncStatus.mockResolvedValue(
      status("failed", 2, null, { message: "the vault could not store the change" }),
    );
    render(SyncIndicator);
    const indicator = await screen.findByTestId("sync-indicator");
    expect(indicator).toHaveAttribute("data-state", "failed");
    expect(screen.getByTestId("sync-failed")).toHaveTextContent(
      "Synchroniseren lukte niet op dit apparaat. Er gaat niets verloren; het wordt zo opnieuw geprobeerd.",
    );
    expect(screen.queryByTestId("sync-refused")).toBeNull();
    expect(screen.getByTestId("sync-details")).toHaveTextContent("the vault could not store the change");
    expect(screen.getByTestId("sync-pending")).toHaveTextContent("2 wijziging(en) wachten");
  });

  it("keeps the English reason out of the offline state", async () => {
    commands.syncStatus.mockResolvedValue(
      status("offline", 0, null, { message: "connection refused" }),
    );
    render(SyncIndicator);
    expect(await screen.findByTestId("sync-indicator")).toHaveAttribute("data-state", "offline");
    expect(screen.queryByTestId("sync-details")).toBeNull();
    expect(screen.queryByTestId("sync-refused")).toBeNull();
  });

  it("shows how far a long pull has come, with an accessible label", async () => {
    commands.syncStatus.mockResolvedValue(
      status("syncing", 0, null, { progress: { received: 1200, total: 10000 } }),
    );
    render(SyncIndicator);
    const bar = await screen.findByRole("progressbar", {
      name: "Synchroniseren: 1.200 van 10.000 wijzigingen ontvangen",
    });
    expect(bar).toHaveAttribute("value", "1200");
    expect(bar).toHaveAttribute("max", "10000");
    expect(screen.getByTestId("sync-indicator")).toHaveTextContent("Bezig met synchroniseren…");
  });

  it("groups the counts the English way in English", async () => {
    setLanguage("en");
    commands.syncStatus.mockResolvedValue(
      status("syncing", 0, null, { progress: { received: 1200, total: 10000 } }),
    );
    render(SyncIndicator);
    expect(
      await screen.findByRole("progressbar", {
        name: "Syncing: 1,200 of 10,000 changes received",
      }),
    ).toBeInTheDocument();
  });

  it("shows no bar when no long pull is running", async () => {
    commands.syncStatus.mockResolvedValue(status("syncing"));
    render(SyncIndicator);
    await screen.findByTestId("sync-indicator");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByTestId("sync-conflicts")).toBeNull();
  });

  it("opens the conflicts that wait for the user", async () => {
    commands.syncStatus.mockResolvedValue(status("up_to_date", 0, null, { conflicts: 2 }));
    const onOpenConflicts = vi.fn();
    render(SyncIndicator, { onOpenConflicts });
    const link = await screen.findByTestId("sync-conflicts");
    expect(link).toHaveTextContent("2 conflict(en) om op te lossen");
    await fireEvent.click(link);
    expect(onOpenConflicts).toHaveBeenCalledOnce();
  });
});
