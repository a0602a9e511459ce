import { describe, expect, it } from "vitest";
import type { ClientSummary } from "./bindings";
import { clientStatus, displayName, filterClients, sortClients, surnameSortKey } from "./clients";

function summary(partial: Partial<ClientSummary>): ClientSummary {
  return {
    id: "1",
    clientCode: "C-AAAAA",
    firstName: "Anna",
    lastName: null,
    careStart: "2024-01-01",
    careEnd: null,
    restricted: false,
    ...partial,
  };
}

describe("clientStatus", () => {
  const today = "2024-06-01";
  it("is active without an end date or with one from today on", () => {
    expect(clientStatus(summary({}), today)).toBe("active");
    expect(clientStatus(summary({ careEnd: "2024-06-01" }), today)).toBe("active");
  });
  it("is ended once the end date has passed", () => {
    expect(clientStatus(summary({ careEnd: "2024-05-31" }), today)).toBe("ended");
  });
  it("is restricted whatever the dates", () => {
    expect(clientStatus(summary({ careEnd: "2020-01-01", restricted: true }), today)).toBe(
      "restricted",
    );
  });
});

describe("filterClients", () => {
  const clients = [
    summary({ id: "1", clientCode: "C-7K3F9", firstName: "Zoë", lastName: "de Vries" }),
    summary({ id: "2", clientCode: "C-ABCDE", firstName: "Jan", lastName: "Jansen" }),
    summary({ id: "3", clientCode: "C-QWERT", firstName: "Piet", lastName: null }),
  ];

  it("matches name and code, ignoring case and accents", () => {
    expect(filterClients(clients, "zoe").map((c) => c.id)).toEqual(["1"]);
    expect(filterClients(clients, "c-7k3").map((c) => c.id)).toEqual(["1"]);
    expect(filterClients(clients, "jan jansen").map((c) => c.id)).toEqual(["2"]);
    expect(filterClients(clients, "  ").map((c) => c.id)).toEqual(["1", "2", "3"]);
    expect(filterClients(clients, "xyz")).toEqual([]);
  });

  it("sorts by last name without prefixes, then first name", () => {
    expect(surnameSortKey("van der Berg")).toBe("Berg");
    expect(surnameSortKey("De Vries")).toBe("Vries");
    expect(surnameSortKey("Van")).toBe("Van");
    expect(sortClients(clients).map((c) => c.id)).toEqual(["2", "3", "1"]);
  });

  it("joins first and last name", () => {
    expect(displayName(clients[0]!)).toBe("Zoë de Vries");
    expect(displayName(clients[2]!)).toBe("Piet");
  });
});
