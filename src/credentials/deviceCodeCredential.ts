import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AuthenticationRecord } from "../msal/publicClient.js";
import type { DeviceCodeCredentialOptions, DeviceCodePromptCallback } from "./deviceCodeCredentialOptions.js";
import { redactedView } from "./redaction.js";
import { UserSignInFlow } from "./userSignInFlow.js";

const defaultPrompt: DeviceCodePromptCallback = (info) => {
  process.stderr.write(`${info.message}\n`);
};

/**
 * Signs a user in with a device code: the user opens a page on any device and types a code. For terminals,
 * SSH sessions and containers without a browser.
 */
export class DeviceCodeCredential implements TokenCredential {
  readonly #flow: UserSignInFlow;

  /** @param options - tenant, client, prompt callback, authentication record, cache. */
  constructor(options: DeviceCodeCredentialOptions = {}) {
    const prompt = options.userPromptCallback ?? defaultPrompt;
    this.#flow = new UserSignInFlow("DeviceCodeCredential", options, (client, params, abortSignal) =>
      client.run(params, (app, base) => {
        const request = {
          ...base,
          deviceCodeCallback: (r: { userCode: string; verificationUri: string; message: string }) =>
            prompt({ userCode: r.userCode, verificationUri: r.verificationUri, message: r.message }),
          cancel: false,
        };
        abortSignal?.addEventListener("abort", () => {
          request.cancel = true;
        }, { once: true });
        return app.acquireTokenByDeviceCode(request);
      }),
    );
    redactedView(this, () => ({ tenantId: this.#flow.tenantId, clientId: this.#flow.clientId, username: this.#flow.authenticationRecord?.username }));
  }

  /** Gets a token silently for the signed-in account, or signs in with a device code (unless disabled). */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#flow.getToken(scopes, options);
  }

  /** Signs in with a device code now and returns the account's record (serialise it to sign in silently later). */
  authenticate(scopes: string | string[], options?: GetTokenOptions): Promise<AuthenticationRecord> {
    return this.#flow.authenticate(scopes, options);
  }

  close(): Promise<void> {
    return this.#flow.close();
  }
}
