// A mock logind (Debian's python3-dbusmock template) on a private bus that the
// app takes for the system bus: the E2E sends it suspend and screen-lock
// signals as the real logind would, and reads the inhibitors it holds.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { run } from "./programs.mjs";

const LOGIND = "org.freedesktop.login1";
const MANAGER = "/org/freedesktop/login1";
export const SESSION = "/org/freedesktop/login1/session/e2e";

/** Starts the bus and the mock; resolves to { address, stop }. */
export async function startMockLogind() {
  const bus = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const address = await new Promise((resolve, reject) => {
    bus.once("error", (error) => reject(new Error(`dbus-daemon (Debian package dbus-daemon) could not start: ${error.message}`)));
    createInterface({ input: bus.stdout }).once("line", (line) => resolve(line.trim()));
  });
  // Debian's python3, whose dbusmock this is, not a python earlier on PATH.
  const logind = spawn("/usr/bin/python3", ["-m", "dbusmock", "--system", "--template", "logind"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address },
  });
  const stop = () => {
    logind.kill();
    bus.kill();
  };
  const deadline = Date.now() + 20000;
  for (;;) {
    const owned = run("gdbus", [
      "call", "--address", address, "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
      "--method", "org.freedesktop.DBus.NameHasOwner", LOGIND,
    ]);
    if (owned.includes("true")) break;
    if (Date.now() > deadline) {
      stop();
      throw new Error("the mock logind (python3-dbusmock) did not start within 20 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  mock(address, MANAGER, "AddSession", "e2e", "seat0", "uint32 1000", "eva", "true");
  mock(address, MANAGER, "AddMethod", "org.freedesktop.login1.Manager", "GetSessionByPID", "u", "o", `ret = '${SESSION}'`);
  return { address, stop };
}

function mock(address, path, method, ...args) {
  return run("gdbus", [
    "call", "--address", address, "--dest", LOGIND, "--object-path", path,
    "--method", `org.freedesktop.DBus.Mock.${method}`, ...args,
  ]);
}

/** logind's PrepareForSleep: true before a suspend, false after the resume. */
export function prepareForSleep(address, goingToSleep) {
  mock(address, MANAGER, "EmitSignal", "org.freedesktop.login1.Manager", "PrepareForSleep", "b", `[<${goingToSleep}>]`);
}

/** The screen locker locks the session. */
export function lockSession(address) {
  mock(address, SESSION, "EmitSignal", "org.freedesktop.login1.Session", "Lock", "", "@av []");
}

/** How many sleep delay inhibitors Kluis holds. */
export function kluisInhibitors(address) {
  const listed = run("gdbus", [
    "call", "--address", address, "--dest", LOGIND, "--object-path", MANAGER,
    "--method", "org.freedesktop.login1.Manager.ListInhibitors",
  ]);
  return (listed.match(/\('sleep', 'Kluis', '[^']*', 'delay'/g) ?? []).length;
}
