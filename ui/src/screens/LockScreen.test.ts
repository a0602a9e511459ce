import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import { ok } from "../test-support/fixtures";
import LockScreen from "./LockScreen.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

function appError(code: string, retryAfterSeconds: number | null = null) {
  return { status: "error", error: { code, message: "detail", retryAfterSeconds, field: null } };
}

async function submit(passphrase: string): Promise<void> {
  await fireEvent.input(screen.getByTestId("lock-passphrase"), { target: { value: passphrase } });
  await fireEvent.click(screen.getByTestId("lock-submit"));
}

beforeEach(() => {
  commands.unlock.mockReset();
  commands.lockScreenShown.mockResolvedValue(undefined);
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("LockScreen", () => {
  it("shows the demo passphrase hint only for a demo profile", () => {
    const { unmount } = render(LockScreen, { demoPassphrase: "paard batterij nietje" });
    expect(screen.getByTestId("lock-screen")).toHaveTextContent(
      "Demoprofiel — wachtwoordzin: paard batterij nietje",
    );
    unmount();
    render(LockScreen, { demoPassphrase: null });
    expect(screen.queryByTestId("lock-demo-hint")).toBeNull();
  });

  it("shows the translated error on a wrong passphrase and clears the field", async () => {
    commands.unlock.mockImplementation(async () => {
      // The focus has left the field meanwhile; the answer brings it back.
      (document.activeElement as HTMLElement | null)?.blur();
      return appError("wrong_passphrase");
    });
    render(LockScreen);
    await submit("verkeerd");
    expect(commands.unlock).toHaveBeenCalledWith("verkeerd");
    const error = await screen.findByTestId("lock-error");
    expect(error).toHaveTextContent("Onjuiste wachtwoordzin. Probeer het opnieuw.");
    expect(error).not.toHaveTextContent("detail");
    expect(screen.getByTestId("lock-passphrase")).toHaveValue("");
    await vi.waitFor(() => expect(screen.getByTestId("lock-passphrase")).toHaveFocus());
  });

  it("shows English when the language is English", async () => {
    setLanguage("en");
    commands.unlock.mockResolvedValue(appError("wrong_passphrase"));
    render(LockScreen);
    await submit("wrong");
    expect(await screen.findByTestId("lock-error")).toHaveTextContent(
      "Wrong passphrase. Please try again.",
    );
  });

  it("counts a throttle down and blocks the button meanwhile", async () => {
    vi.useFakeTimers();
    commands.unlock.mockResolvedValue(appError("throttled", 3));
    render(LockScreen);
    await submit("iets");
    await vi.advanceTimersByTimeAsync(0);

    expect(screen.getByTestId("lock-error")).toHaveTextContent(
      "Te veel pogingen. Wacht 3 seconden.",
    );
    expect(screen.getByTestId("lock-submit")).toBeDisabled();

    await vi.advanceTimersByTimeAsync(1000);
    expect(screen.getByTestId("lock-error")).toHaveTextContent("Wacht 2 seconden.");

    // A submit while throttled does not reach the back end.
    await fireEvent.submit(screen.getByTestId("lock-submit").closest("form")!);
    expect(commands.unlock).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(2000);
    expect(screen.queryByTestId("lock-error")).toBeNull();
    expect(screen.getByTestId("lock-submit")).toBeEnabled();
    expect(screen.getByText("U kunt het nu opnieuw proberen.")).toBeInTheDocument();
  });

  it("shows only 'opening' after a successful unlock", async () => {
    commands.unlock.mockResolvedValue(ok(null));
    render(LockScreen);
    await submit("goed");
    expect(await screen.findByText("Kluis wordt geopend…")).toBeInTheDocument();
    expect(screen.queryByTestId("lock-passphrase")).toBeNull();
  });

  it("shows the internal-error text for an unexpected failure", async () => {
    commands.unlock.mockRejectedValue(new Error("TypeError: boom"));
    render(LockScreen);
    await submit("x");
    const error = await screen.findByTestId("lock-error");
    expect(error).toHaveTextContent("Er ging iets mis in Kluis.");
    expect(error).not.toHaveTextContent("boom");
  });

  it("does not call unlock with an empty passphrase", async () => {
    render(LockScreen);
    await fireEvent.click(screen.getByTestId("lock-submit"));
    expect(commands.unlock).not.toHaveBeenCalled();
    expect(screen.getByTestId("lock-error")).toHaveTextContent("Vul uw wachtwoordzin in.");
  });
});
