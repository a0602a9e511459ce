// WebKit tells the app process the text around the caret of the editable field that was
// focused last (the surrounding text input methods use), and the app process keeps it
// until another editable field gets focus: past the lock, past the destroyed page.
// Measured (issue 12): it was the last copy of a client's remarks in the app process
// after a lock. Focusing an empty field for a moment before the lock replaces it with
// nothing.

/** How long the empty field keeps focus: one frame, for WebKit to send its new state. */
export const INPUT_METHOD_SETTLE_MS = 20;

/** Gives focus to an empty, invisible field for a moment, then removes it. */
export async function forgetInputMethodText(settleMs = INPUT_METHOD_SETTLE_MS): Promise<void> {
  const probe = document.createElement("input");
  probe.type = "text";
  probe.tabIndex = -1;
  probe.setAttribute("aria-hidden", "true");
  probe.dataset.testid = "input-method-reset";
  probe.style.position = "fixed";
  probe.style.left = "-10000px";
  probe.style.opacity = "0";
  document.body.appendChild(probe);
  probe.focus();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  probe.blur();
  probe.remove();
}
