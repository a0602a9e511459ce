// Running the programs the tests need (pgrep, xdotool, import, IT's tool,
// the memory scanner) so that a failure says which program failed, with what
// arguments, how it ended and what it printed on stderr.
//
// Node's own errors are not fit to be thrown from a test: when a program
// cannot be started, execFileSync throws an error that holds itself (its
// `error` property is the error), and WebdriverIO's test wrapper runs
// JSON.stringify over every property of a thrown error, so the scenario failed
// with "Converting circular structure to JSON" instead of "xdotool is not
// installed". The errors made here are plain, with everything in the message.
import { spawnSync } from "node:child_process";

// The Debian packages that provide the programs the tests run; scripts/setup.sh
// installs them all, so a missing one means setup was skipped or is out of date.
const debianPackages = {
  import: "imagemagick",
  pgrep: "procps",
  xdotool: "xdotool",
};

/** The command as one would type it, for messages. */
export function commandLine(program, args = []) {
  return [program, ...args].map((word) => (/^[\w./:=@-]+$/.test(word) ? word : JSON.stringify(word))).join(" ");
}

/** Why running `program` failed before it could end by itself (it could not
 *  be started, or its output overflowed), from the error Node gave. */
export function startFailure(program, args, error) {
  const command = commandLine(program, args);
  if (error.code !== "ENOENT") return `${command} failed: ${error.message}`;
  if (debianPackages[program]) {
    return (
      `${command} could not be started: ${program} is not installed (${error.message}); ` +
      `Debian's package ${debianPackages[program]} provides it (scripts/setup.sh installs it)`
    );
  }
  if (program === "tauri-driver") {
    return (
      `${command} could not be started: tauri-driver is not installed (${error.message}); ` +
      "scripts/setup.sh installs it with cargo"
    );
  }
  return `${command} could not be started: ${program} was not found (${error.message}); is it built?`;
}

/** How a program that did start ended, when that was not a success. */
export function exitFailure(program, args, status, signal) {
  const ended = signal ? `was killed by ${signal}` : `exited with status ${status}`;
  return `${commandLine(program, args)} ${ended}`;
}

/** Runs `program` to its end and returns its standard output as text. It
 *  fails with an Error naming the command, its exit status or signal and its
 *  stderr; `okStatuses` lists the exit statuses that are answers rather than
 *  failures (pgrep's 1: no process matched). */
export function run(program, args = [], { okStatuses = [0], ...options } = {}) {
  if (typeof program !== "string" || program === "") {
    throw new Error(`no program to run with arguments ${commandLine("", args).trim()}`);
  }
  const result = spawnSync(program, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
  if (result.error) throw new Error(startFailure(program, args, result.error));
  const stderr = result.stderr.trim();
  if (result.signal || !okStatuses.includes(result.status)) {
    const failure = exitFailure(program, args, result.status, result.signal);
    throw new Error(stderr ? `${failure}; stderr: ${stderr}` : `${failure} and printed nothing on stderr`);
  }
  // A program that worked may still warn; the run's log keeps that, as it did
  // when stderr went straight to it.
  if (stderr) process.stderr.write(`${result.stderr}${result.stderr.endsWith("\n") ? "" : "\n"}`);
  return result.stdout;
}
