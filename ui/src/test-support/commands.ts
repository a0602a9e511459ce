// The commands a component test hands the bindings, one mock for every generated
// command. A test file takes them before its imports are evaluated, and keeps the
// generated constants real:
//
//   const { commands } = await vi.hoisted(() => import("../test-support/commands"));
//   vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));
//
// A command the test has not answered throws, as calling a command the component should
// not call would; `resetCommands` forgets every answer and call, for a `beforeEach`.

import { vi, type Mock } from "vitest";
import type * as Bindings from "../lib/bindings";

type CommandName = keyof typeof Bindings.commands;

function unanswered(name: string): () => never {
  return () => {
    throw new TypeError(`commands.${name} has no answer in this test`);
  };
}

const actual = await vi.importActual<typeof Bindings>("../lib/bindings");

export const commands = Object.fromEntries(
  Object.keys(actual.commands).map((name) => [name, vi.fn(unanswered(name))]),
) as Record<CommandName, Mock>;

/** Forgets every answer and call; each command throws again until answered. */
export function resetCommands(): void {
  for (const mock of Object.values(commands)) mock.mockReset();
}
