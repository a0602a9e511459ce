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

/** Dutch surname prefixes (tussenvoegsels), which do not count when sorting. */
const SURNAME_PREFIXES = new Set([
  "van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "aan", "bij",
  "uit", "voor", "la", "le", "du", "des", "da", "di", "del", "von", "zu", "d'", "l'",
]);

/** The part of a last name a Dutch list sorts on: "van der Berg" → "Berg". */
export function surnameSortKey(lastName: string): string {
  const words = lastName.trim().split(/\s+/);
  while (words.length > 1 && SURNAME_PREFIXES.has((words[0] ?? "").toLowerCase())) words.shift();
  return words.join(" ");
}

/** By last name (without prefixes), then first name, then code (Dutch collation). */
export function sortClients(clients: readonly ClientSummary[]): ClientSummary[] {
  const collator = new Intl.Collator("nl", { sensitivity: "base" });
  const key = (client: ClientSummary): string =>
    client.lastName === null ? client.firstName : surnameSortKey(client.lastName);
  return [...clients].sort(
    (a, b) =>
      collator.compare(key(a), key(b)) ||
      collator.compare(a.firstName, b.firstName) ||
      collator.compare(a.clientCode, b.clientCode),
  );
}

/** The tabs of the client view. */
export type ClientTab = "profile" | "timeline" | "access-log" | "privacy";
export const CLIENT_TABS: readonly ClientTab[] = ["profile", "timeline", "access-log", "privacy"];
