import type { InteractiveCredentialOptions } from "./interactiveCredentialOptions.js";

/** Opens the sign-in page: replace it to use another browser, or to drive the page in tests. */
export type BrowserOpener = (url: string) => Promise<void>;

/** Options of {@link InteractiveBrowserCredential}. */
export interface InteractiveBrowserCredentialOptions extends InteractiveCredentialOptions {
  /** Opens the URL in a browser. @default the system's opener (`xdg-open`, `open`, `start`) */
  openBrowser?: BrowserOpener;
  /** Pre-fills the sign-in page's account. */
  loginHint?: string;
  /** Port of the local redirect listener (`http://localhost:<port>`). @default a free port */
  redirectPort?: number;
}
