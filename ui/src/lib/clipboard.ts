// Text copied from Kluis does not stay on the system clipboard (issue 12). The back end
// clears the clipboard at the lock and a while after each copy, as password managers do,
// but only while Kluis still owns it: text another program put there since is left alone.
// The page only says that a copy happened; the text itself does not cross to the Rust
// process for this.
//
// A copy writes the selected text itself, as plain text only, so that no markup of the
// page (class names, hidden elements) travels with it. A cut is left to the browser, which
// must still remove the text from the field.

type TextField = HTMLInputElement | HTMLTextAreaElement;

function focusedTextField(doc: Document): TextField | null {
  const active = doc.activeElement;
  if (active === null) return null;
  if (active.tagName === "TEXTAREA" || active.tagName === "INPUT") return active as TextField;
  return null;
}

/**
 * What a copy or cut in `doc` takes: the selection in the focused text field, or else the
 * selection in the page. Empty when there is nothing to copy; always for a password
 * field, which the browser does not copy.
 */
function selectedText(doc: Document): { text: string; inField: boolean } {
  const field = focusedTextField(doc);
  if (field !== null) {
    if (field instanceof HTMLInputElement && field.type === "password") {
      return { text: "", inField: true };
    }
    const start = field.selectionStart;
    const end = field.selectionEnd;
    // null: a field type without a text selection API (email, checkbox); the page's
    // selection is the best there is.
    if (start !== null && end !== null) {
      return { text: field.value.slice(start, end), inField: true };
    }
  }
  return { text: doc.getSelection()?.toString() ?? "", inField: field !== null };
}

/**
 * Listens for copies and cuts in `target` and calls `report` after each one that puts
 * text on the clipboard. Never throws out of the event; a failed report is logged.
 * Returns a function that removes the listeners.
 */
export function trackCopies(target: Document, report: () => void | Promise<void>): () => void {
  const send = (): void => {
    Promise.resolve()
      .then(() => report())
      .catch((error: unknown) => {
        console.warn("Kluis: could not report a copy for clearing the clipboard:", error);
      });
  };

  const onCopy = (event: Event): void => {
    const { text } = selectedText(target);
    if (text === "") return;
    const data = (event as ClipboardEvent).clipboardData;
    if (data !== null && data !== undefined) {
      data.setData("text/plain", text);
      event.preventDefault();
    }
    send();
  };

  const onCut = (): void => {
    // Only text fields can be cut; the browser removes the text and copies it itself.
    const { text, inField } = selectedText(target);
    if (text === "" || !inField) return;
    send();
  };

  const options: AddEventListenerOptions = { capture: true };
  target.addEventListener("copy", onCopy, options);
  target.addEventListener("cut", onCut, options);
  return () => {
    target.removeEventListener("copy", onCopy, options);
    target.removeEventListener("cut", onCut, options);
  };
}
