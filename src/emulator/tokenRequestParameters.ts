/**
 * Parsing of token requests: the urlencoded form plus HTTP Basic client
 * authentication, and the secret-free summary written to the request log.
 */
import type { IncomingHttpHeaders } from "node:http";
import { tryDecodeJwsHeader } from "./jose.js";
import type { EmulatorRequest } from "./emulatorTypes.js";

/** Parameters of a token request. Holds credentials: never log it as is. */
export interface TokenRequestParameters {
  /** The whole form, for grant handlers that need more fields. */
  form: URLSearchParams;
  grantType?: string;
  clientId?: string;
  /** From the form or the HTTP Basic password. */
  clientSecret?: string;
  clientAssertion?: string;
  clientAssertionType?: string;
  scope?: string;
  /** True when the client authenticated with HTTP Basic. */
  basicAuth: boolean;
  /** Problems making the request ambiguous (duplicated fields, conflicting client ids). */
  problems: string[];
}

/** Fields that must not appear twice. */
const SINGLE_VALUED = [
  "grant_type",
  "client_id",
  "client_secret",
  "client_assertion",
  "client_assertion_type",
  "scope",
  "code",
  "code_verifier",
  "redirect_uri",
  "device_code",
  "refresh_token",
  "username",
  "password",
  "assertion",
  "requested_token_use",
];

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, " "));
}

/** Decodes `Authorization: Basic` (RFC 6749 §2.3.1: urlencoded id and secret). */
function parseBasicAuth(headers: IncomingHttpHeaders): { clientId: string; clientSecret: string } | undefined | "invalid" {
  const header = headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  try {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return "invalid";
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return "invalid";
  }
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === "" ? undefined : value;
}

/** Parses a token request body (never throws, whatever the body). */
export function parseTokenRequest(body: Buffer, headers: IncomingHttpHeaders): TokenRequestParameters {
  const form = new URLSearchParams(body.toString("utf8"));
  const problems: string[] = [];
  for (const name of SINGLE_VALUED) {
    if (form.getAll(name).length > 1) problems.push(`The parameter '${name}' is duplicated.`);
  }
  const params: TokenRequestParameters = { form, basicAuth: false, problems };
  const set = (key: "grantType" | "clientId" | "clientSecret" | "clientAssertion" | "clientAssertionType" | "scope", name: string): void => {
    const value = nonEmpty(form.get(name));
    if (value !== undefined) params[key] = value;
  };
  set("grantType", "grant_type");
  set("clientId", "client_id");
  set("clientSecret", "client_secret");
  set("clientAssertion", "client_assertion");
  set("clientAssertionType", "client_assertion_type");
  set("scope", "scope");

  const basic = parseBasicAuth(headers);
  if (basic === "invalid") {
    problems.push("The Authorization header is not valid HTTP Basic authentication.");
  } else if (basic) {
    params.basicAuth = true;
    if (params.clientId !== undefined && params.clientId !== basic.clientId) {
      problems.push("The client_id in the body differs from the one in the Authorization header.");
    }
    if (params.clientSecret !== undefined) {
      problems.push("The client secret was sent both in the body and in the Authorization header.");
    }
    params.clientId ??= nonEmpty(basic.clientId);
    if (basic.clientSecret !== "") params.clientSecret = basic.clientSecret;
  }
  return params;
}

/** The secret-free fields of a token request for the request log. */
export function describeTokenRequest(params: TokenRequestParameters): Partial<EmulatorRequest> {
  const summary: Partial<EmulatorRequest> = {};
  if (params.grantType !== undefined) summary.grantType = params.grantType;
  if (params.clientId !== undefined) summary.clientId = params.clientId;
  if (params.scope !== undefined) summary.scope = params.scope;
  const username = params.form.get("username");
  if (params.grantType === "password" && username) summary.username = username;
  const claims = params.form.get("claims");
  if (claims) summary.claims = claims.slice(0, 2000);
  if (params.clientAssertion !== undefined) {
    summary.clientAuth = "assertion";
    const header = tryDecodeJwsHeader(params.clientAssertion);
    if (header) summary.assertionHeader = header;
  } else if (params.clientSecret !== undefined) {
    summary.clientAuth = "secret";
  }
  return summary;
}
