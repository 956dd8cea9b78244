import { sendHttp } from "./httpTransport.js";

const DEFAULT_IMDS = "http://169.254.169.254";
const answers = new Map<string, Promise<boolean>>();

/** The IMDS endpoint msal-node will use: `AZURE_POD_IDENTITY_AUTHORITY_HOST`, else the link-local address. */
export function imdsEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.AZURE_POD_IDENTITY_AUTHORITY_HOST ?? DEFAULT_IMDS).replace(/\/+$/, "");
}

/**
 * @internal Whether IMDS answers at all: one request without the `Metadata` header (IMDS answers 400 to it),
 * within `timeoutMs`. Any HTTP answer means IMDS is there. The answer is kept per endpoint for the process,
 * so a chain pays the probe once, not on every call.
 */
export function probeImds(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const endpoint = imdsEndpoint(env);
  let answer = answers.get(endpoint);
  if (answer === undefined) {
    answer = sendHttp(`${endpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com`, { method: "GET", timeoutMs }).then(
      () => true,
      () => false,
    );
    answers.set(endpoint, answer);
  }
  return answer;
}

/** @internal Forgets probe answers (tests). */
export function forgetImdsProbes(): void {
  answers.clear();
}
