import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import { expectTexts } from "../test-support/assertions";
import { aClientSummary, aConsult as consult, ok } from "../test-support/fixtures";
import Today from "./Today.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

beforeEach(() => {
  resetCommands();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2025, 0, 13, 8, 0));
  commands.agendaDay.mockResolvedValue(
    ok({
      date: "2025-01-13",
      consults: [
        consult({ id: "k2", startsAt: "2025-01-13T13:00:00Z", startTime: "14:00", endTime: "14:30", kind: "phone" }),
        consult({}),
      ],
    }),
  );
  commands.listClients.mockResolvedValue(ok([aClientSummary()]));
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Today", () => {
  it("lists today's consults in time order with names, codes, kind and status", async () => {
    render(Today, { onWriteNote: vi.fn() });
    expect(commands.agendaDay).toHaveBeenCalledWith("2025-01-13");
    expect(screen.getByTestId("today-screen")).toHaveTextContent("maandag 13-01-2025");
    const rows = await screen.findAllByTestId("today-consult");
    expect(rows.map((row) => row.dataset.consultId)).toEqual(["k1", "k2"]);
    expectTexts(rows[0], ["09:00–09:50", "Anna de Vries", "C-7K3F9", "Videoconsult", "Gepland"]);
    expect(rows[1]).toHaveTextContent("Telefonisch consult");
    expect(rows[0]!.querySelector('[data-testid="status-restricted"]')).toBeNull();
  });

  it("marks a consult of a restricted client", async () => {
    const clients = [{ id: "c9", clientCode: "C-RSTRC", displayName: "Bo Beperkt", restricted: true }];
    commands.agendaDay.mockResolvedValue(ok({ date: "2025-01-13", consults: [consult({ clients })] }));
    render(Today, { onWriteNote: vi.fn() });
    const [row] = await screen.findAllByTestId("today-consult");
    expect(row!.querySelector('[data-testid="status-restricted"]')).not.toBeNull();
  });

  it("marks a consult completed and offers to undo", async () => {
    commands.setConsultStatus.mockResolvedValue(ok(consult({ status: "completed" })));
    render(Today, { onWriteNote: vi.fn() });
    const [first] = await screen.findAllByTestId("today-consult");
    await fireEvent.click(within(first!).getByTestId("consult-complete"));
    expect(commands.setConsultStatus).toHaveBeenCalledWith("k1", "completed");
    await vi.waitFor(() => expect(first).toHaveAttribute("data-status", "completed"));
    expect(first).toHaveTextContent("Afgerond");
    expect(within(first!).queryByTestId("consult-no-show")).toBeNull();
    expect(within(first!).getByTestId("consult-reopen")).toBeInTheDocument();
  });

  it("writes a note for the consult", async () => {
    const onWriteNote = vi.fn();
    render(Today, { onWriteNote });
    const [first] = await screen.findAllByTestId("today-consult");
    await fireEvent.click(within(first!).getByTestId("consult-write-note"));
    expect(onWriteNote).toHaveBeenCalledWith(expect.objectContaining({ id: "k1" }));
  });

  it("plans a consult from Dutch input and reloads the day", async () => {
    commands.planConsult.mockResolvedValue(ok([consult({ id: "k3" })]));
    render(Today, { onWriteNote: vi.fn() });
    await screen.findAllByTestId("today-consult");
    await fireEvent.click(screen.getByTestId("consult-plan-open"));
    expect(await screen.findByTestId("consult-form")).toBeInTheDocument();
    expect(screen.getByTestId("consult-date")).toHaveValue("13-01-2025");
    expect(screen.getByTestId("consult-duration")).toHaveValue("50");
    await vi.waitFor(() =>
      expect(screen.getByTestId("consult-client").querySelectorAll("option")).toHaveLength(2),
    );

    await fireEvent.change(screen.getByTestId("consult-client"), { target: { value: "c1" } });
    await fireEvent.input(screen.getByTestId("consult-date"), { target: { value: "14-01-2025" } });
    await fireEvent.input(screen.getByTestId("consult-time"), { target: { value: "9:30" } });
    await fireEvent.change(screen.getByTestId("consult-recurrence"), { target: { value: "weekly" } });
    await fireEvent.input(screen.getByTestId("consult-count"), { target: { value: "3" } });
    await fireEvent.input(screen.getByTestId("consult-link"), {
      target: { value: "https://meet.example.nl/abc" },
    });
    await fireEvent.click(screen.getByTestId("consult-save"));

    await vi.waitFor(() => expect(commands.planConsult).toHaveBeenCalledTimes(1));
    expect(commands.planConsult).toHaveBeenCalledWith({
      clientIds: ["c1"],
      kind: "video",
      date: "2025-01-14",
      time: "09:30",
      durationMinutes: 50,
      link: "https://meet.example.nl/abc",
      recurrence: { frequency: "weekly", count: 3 },
    });
    expect(await screen.findByTestId("consult-planned")).toHaveTextContent("Consult gepland.");
    expect(screen.queryByTestId("consult-form")).toBeNull();
    expect(commands.agendaDay).toHaveBeenCalledTimes(2);
  });

  it("points at wrong fields before sending anything", async () => {
    render(Today, { onWriteNote: vi.fn() });
    await fireEvent.click(screen.getByTestId("consult-plan-open"));
    await fireEvent.input(screen.getByTestId("consult-time"), { target: { value: "25:00" } });
    await fireEvent.click(screen.getByTestId("consult-save"));
    const errors = await screen.findAllByTestId("consult-field-error");
    expect(errors.map((error) => error.dataset.field)).toEqual(["clientIds", "time"]);
    expect(commands.planConsult).not.toHaveBeenCalled();
  });

  it("lists a restricted client as not to be planned, and says why", async () => {
    commands.listClients.mockResolvedValue(
      ok([aClientSummary(), aClientSummary({ id: "c2", clientCode: "C-QWERT", firstName: "Piet", lastName: null, restricted: true })]),
    );
    render(Today, { onWriteNote: vi.fn() });
    await fireEvent.click(screen.getByTestId("consult-plan-open"));
    const select = screen.getByTestId("consult-client");
    await vi.waitFor(() => expect(select.querySelectorAll("option")).toHaveLength(3));
    const piet = select.querySelector<HTMLOptionElement>('option[value="c2"]')!;
    expect(piet).toBeDisabled();
    expect(piet).toHaveTextContent("Piet (C-QWERT) — beperkt, alleen-lezen");
    expect(select.querySelector('option[value="c1"]')).toBeEnabled();
    expect(select).toHaveAccessibleDescription(
      "Cliënten van wie de verwerking beperkt is, kunnen niet worden ingepland: hun dossier is alleen-lezen.",
    );
    await fireEvent.change(screen.getByTestId("consult-kind"), { target: { value: "group_session" } });
    const group = screen.getByTestId("consult-client");
    expect(group.querySelector('option[value="c2"]')).toBeDisabled();
    expect(group).toHaveAccessibleDescription(/Kies 2 tot 20 cliënten.*kunnen niet worden ingepland/);
  });

  it("gives no restriction hint when no client is restricted", async () => {
    render(Today, { onWriteNote: vi.fn() });
    await fireEvent.click(screen.getByTestId("consult-plan-open"));
    await vi.waitFor(() =>
      expect(screen.getByTestId("consult-client").querySelectorAll("option")).toHaveLength(2),
    );
    expect(screen.queryByText(/kunnen niet worden ingepland/)).toBeNull();
  });

  it("lets a group session have several clients", async () => {
    render(Today, { onWriteNote: vi.fn() });
    await fireEvent.click(screen.getByTestId("consult-plan-open"));
    await fireEvent.change(screen.getByTestId("consult-kind"), { target: { value: "group_session" } });
    expect(screen.getByTestId("consult-client")).toHaveAttribute("multiple");
  });

  it("shows an empty day", async () => {
    commands.agendaDay.mockResolvedValue(ok({ date: "2025-01-13", consults: [] }));
    render(Today, { onWriteNote: vi.fn() });
    expect(await screen.findByTestId("today-empty")).toHaveTextContent(
      "Er staan vandaag geen consulten gepland.",
    );
  });
});
