// Client list helpers: status, display name, search filter and order.

import type { ClientSummary } from "./bindings";

export type ClientStatus = "active" | "ended" | "restricted";

/** Restricted wins; otherwise care has ended once the end date lies before today. */
export function clientStatus(
  client: Pick<ClientSummary, "careEnd" | "restricted">,
  today: string,
): ClientStatus {
  if (client.restricted) return "restricted";
  if (client.careEnd !== null && client.careEnd < today) return "ended";
  return "active";
}

export function displayName(client: Pick<ClientSummary, "firstName" | "lastName">): string {
  return [client.firstName, client.lastName ?? ""].filter((part) => part.trim() !== "").join(" ");
}

/** Lower case without accents, so "Cliënt" matches "client" and "Müller" matches "muller". */
export function normaliseForSearch(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

/** Clients whose name or code contains every word of the query. */
export function filterClients(clients: readonly ClientSummary[], query: string): ClientSummary[] {
  const words = normaliseForSearch(query).split(/\s+/).filter((word) => word !== "");
  if (words.length === 0) return [...clients];
  return clients.filter((client) => {
    const haystack = normaliseForSearch(`${client.clientCode} ${displayName(client)}`);
    return words.every((word) => haystack.includes(word));
  });
}

/** By last name, then first name, then code (Dutch collation). */
export function sortClients(clients: readonly ClientSummary[]): ClientSummary[] {
  const collator = new Intl.Collator("nl", { sensitivity: "base" });
  return [...clients].sort(
    (a, b) =>
      collator.compare(a.lastName ?? a.firstName, b.lastName ?? b.firstName) ||
      collator.compare(a.firstName, b.firstName) ||
      collator.compare(a.clientCode, b.clientCode),
  );
}
