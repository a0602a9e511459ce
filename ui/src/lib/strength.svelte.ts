// Live passphrase-strength feedback: asks the back end (zxcvbn on the Rust side) after
// the user pauses typing, and ignores answers that arrive for an older passphrase.

import { commands, type PassphraseStrength } from "./bindings";
import { debounce } from "./timing";

export const STRENGTH_DEBOUNCE_MS = 300;

export class StrengthCheck {
  result = $state<PassphraseStrength | null>(null);
  checking = $state(false);

  #sequence = 0;
  #debounced = debounce((passphrase: string, sequence: number) => {
    void this.#run(passphrase, sequence);
  }, STRENGTH_DEBOUNCE_MS);

  /** Call on every change of the passphrase. */
  update(passphrase: string): void {
    const sequence = ++this.#sequence;
    if (passphrase === "") {
      this.#debounced.cancel();
      this.result = null;
      this.checking = false;
      return;
    }
    this.checking = true;
    this.#debounced(passphrase, sequence);
  }

  /** Stops pending work; call when the component goes away. */
  dispose(): void {
    this.#debounced.cancel();
    this.#sequence++;
  }

  async #run(passphrase: string, sequence: number): Promise<void> {
    let result: PassphraseStrength | null = null;
    try {
      result = await commands.passphraseStrength(passphrase);
    } catch {
      result = null;
    }
    if (sequence !== this.#sequence) return;
    this.result = result;
    this.checking = false;
  }
}
