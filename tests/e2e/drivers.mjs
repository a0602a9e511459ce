// Starting tauri-driver (which starts Debian's WebKitWebDriver) for a run:
// shared by the one-app configuration and the two-device one, which also
// waits here for its central store to listen.
import { spawn } from "node:child_process";
import net from "node:net";
import { commandLine, exitFailure, startFailure } from "./programs.mjs";

/** What every run shares: one worker at a time (the apps share the keyring
 *  and the display), mocha, and patient timeouts for a debug build on two
 *  cores. */
export const sharedOptions = {
  runner: "local",
  maxInstances: 1,
  logLevel: "warn",
  framework: "mocha",
  reporters: ["spec"],
  mochaOpts: { ui: "bdd", timeout: 300000 },
  waitforTimeout: 20000,
  connectionRetryTimeout: 120000,
};

/** Resolves when something accepts connections on `port`. Given the `child`
 *  that should open it, fails at once, naming the program, when the child
 *  cannot be started or exits first: a missing program is otherwise an
 *  uncaught "error" event, and an early exit a wait until the deadline. */
export function waitForPort(port, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error) => {
      if (settled) return;
      settled = true;
      child?.off("error", failedToStart).off("exit", exited);
      if (error) reject(error);
      else resolve();
    };
    const [program, ...args] = child?.spawnargs ?? [];
    const failedToStart = (error) => settle(new Error(startFailure(program, args, error)));
    const exited = (status, signal) => {
      const failure = exitFailure(program, args, status, signal);
      settle(new Error(`${failure} before port ${port} opened (its stderr is in the log above)`));
    };
    child?.on("error", failedToStart).on("exit", exited);
    const attempt = () => {
      if (settled) return;
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        settle();
      });
      socket.on("error", () => {
        const waited = child ? ` for ${commandLine(program, args)}` : "";
        if (Date.now() > deadline) settle(new Error(`port ${port} did not open within ${timeoutMs} ms${waited}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** A free TCP port on the loopback interface, chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts tauri-driver on `port` (its WebKitWebDriver on `nativePort`) with
 *  the environment the app gets; resolves when it accepts connections. */
export async function startTauriDriver({ port, nativePort, env }) {
  const driver = spawn(
    "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        WEBKIT_DISABLE_DMABUF_RENDERER: "1",
        RUST_LOG: process.env.RUST_LOG ?? "info",
        ...env,
      },
    },
  );
  await waitForPort(port, 30000, driver);
  return driver;
}
