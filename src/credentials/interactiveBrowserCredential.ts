import { spawn } from "node:child_process";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CredentialUnavailableError } from "../errors.js";
import type { AuthenticationRecord } from "../msal/publicClient.js";
import type { BrowserOpener, InteractiveBrowserCredentialOptions } from "./interactiveBrowserCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { UserSignInFlow } from "./userSignInFlow.js";

/** Opens a URL with the platform's opener, without a shell. */
export const systemBrowserOpener: BrowserOpener = (url) =>
  new Promise((resolve, reject) => {
    const [command, args] =
      process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["rundll32", ["url.dll,FileProtocolHandler", url]] : ["xdg-open", [url]];
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.once("error", () => reject(new CredentialUnavailableError(`InteractiveBrowserCredential: no browser could be opened ('${command}' failed)`)));
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });

/**
 * Signs a user in through the system browser (authorization code + PKCE, with a loopback redirect on
 * `http://localhost`).
 */
export class InteractiveBrowserCredential implements TokenCredential {
  readonly #flow: UserSignInFlow;

  /** @param options - tenant, client, browser opener, login hint, authentication record, cache. */
  constructor(options: InteractiveBrowserCredentialOptions = {}) {
    const openBrowser = options.openBrowser ?? systemBrowserOpener;
    this.#flow = new UserSignInFlow("InteractiveBrowserCredential", options, (client, params) =>
      client.run(params, (app, base) =>
        app.acquireTokenInteractive({
          ...base,
          openBrowser,
          loginHint: options.loginHint,
          preferredPort: options.redirectPort,
          successTemplate: "<html><body>Signed in. You may close this window.</body></html>",
          errorTemplate: "<html><body>Sign-in failed. You may close this window.</body></html>",
        }),
      ),
    );
    redactedView(this, () => ({ tenantId: this.#flow.tenantId, clientId: this.#flow.clientId, username: this.#flow.authenticationRecord?.username }));
  }

  /** Gets a token silently for the signed-in account, or opens the browser to sign in (unless disabled). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#flow.getToken(scopes, options);
  }

  /** Signs in through the browser now and returns the account's record. */
  authenticate(scopes: string | string[], options?: GetTokenOptions): Promise<AuthenticationRecord> {
    return this.#flow.authenticate(scopes, options);
  }

  close(): Promise<void> {
    return this.#flow.close();
  }
}
