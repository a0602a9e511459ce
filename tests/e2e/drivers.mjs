// Starting tauri-driver (which starts Debian's WebKitWebDriver) for a run:
// shared by the one-app configuration and the two-device one.
import { spawn } from "node:child_process";
import net from "node:net";

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

export function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve();
      });
      socket.on("error", () => {
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open`));
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
  await waitForPort(port, 30000);
  return driver;
}
