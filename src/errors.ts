/**
 * Every error this library throws. Callers `switch (err.code)`; messages never carry a secret.
 *
 * The class names and the shape of `AuthenticationError`, `CredentialUnavailableError`,
 * `AggregateAuthenticationError` and `AuthenticationRequiredError` follow `@azure/identity`, so code
 * written against it keeps working; each class adds a typed `code`.
 */

/** Codes of {@link ConfigurationError}, at run time: the configuration or a constructor argument is wrong. */
export const CONFIGURATION_ERROR_CODES = Object.freeze([
  "ERR_CONFIG_INVALID_VALUE",
  "ERR_CONFIG_MISSING_VALUE",
  "ERR_CONFIG_TENANT_ID",
  "ERR_CONFIG_AUTHORITY_HOST",
  "ERR_CONFIG_CONFLICT",
  "ERR_CONFIG_JSON",
  "ERR_CONFIG_FILE",
  "ERR_CONFIG_UNKNOWN_KEY",
  "ERR_CONFIG_UNKNOWN_CREDENTIAL",
  "ERR_CONFIG_UNKNOWN_NAME",
  "ERR_CONFIG_CYCLE",
  "ERR_CONFIG_DEPENDENCY",
] as const);

/** Codes of {@link ConfigurationError}: the configuration or a constructor argument is wrong. */
export type ConfigurationErrorCode = (typeof CONFIGURATION_ERROR_CODES)[number];

/** Codes of {@link CertificateError}, at run time: a client certificate cannot be used. */
export const CERTIFICATE_ERROR_CODES = Object.freeze([
  "ERR_CERT_NOT_FOUND",
  "ERR_CERT_IS_DIRECTORY",
  "ERR_CERT_READ",
  "ERR_CERT_FORMAT",
  "ERR_CERT_PASSWORD_REQUIRED",
  "ERR_CERT_PASSWORD",
  "ERR_CERT_NO_PRIVATE_KEY",
  "ERR_CERT_NO_CERTIFICATE",
  "ERR_CERT_KEY_TYPE",
  "ERR_CERT_KEY_MISMATCH",
  "ERR_CERT_EXPIRED",
  "ERR_CERT_NOT_YET_VALID",
] as const);

/** Codes of {@link CertificateError}: a client certificate cannot be used. */
export type CertificateErrorCode = (typeof CERTIFICATE_ERROR_CODES)[number];

/** Every `code` an error of this library can carry, at run time (for `switch` completeness checks and tests). */
export const ERROR_CODES = Object.freeze([
  ...CONFIGURATION_ERROR_CODES,
  ...CERTIFICATE_ERROR_CODES,
  "ERR_CREDENTIAL_UNAVAILABLE",
  "ERR_AUTHENTICATION",
  "ERR_AGGREGATE_AUTHENTICATION",
  "ERR_AUTHENTICATION_REQUIRED",
] as const);

/** Every `code` an error of this library can carry. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class of every error thrown by this library. */
export abstract class CredentialFactoryError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A constructor argument or configuration value is invalid. Raised as early as possible: when the credential
 * is constructed or the container is built, never at the first token request when it is already knowable.
 */
export class ConfigurationError extends CredentialFactoryError {
  readonly code: ConfigurationErrorCode | CertificateErrorCode;
  /** Where the bad value is: a config path (`Azure:clientCertificatePath`) or an option name. */
  readonly path: string;

  constructor(
    code: ConfigurationErrorCode | CertificateErrorCode,
    path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (at ${path})`, options);
    this.code = code;
    this.path = path;
    this.detail = message;
  }

  /** The message without the `(at path)` suffix. */
  readonly detail: string;

  /**
   * The same error, located elsewhere: `err.withPath("Azure:" + err.path)` when a section's value caused it.
   * @param path - the new location.
   */
  withPath(path: string): this {
    const Class = this.constructor as new (code: ConfigurationErrorCode | CertificateErrorCode, path: string, message: string, options?: { cause?: unknown }) => this;
    return new Class(this.code, path, this.detail, { cause: this.cause });
  }
}

/** A client certificate is missing, unreadable, of the wrong kind, or outside its validity period. */
export class CertificateError extends ConfigurationError {
  declare readonly code: CertificateErrorCode;

  constructor(code: CertificateErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, path, message, options);
  }
}

/**
 * The credential cannot be used in this environment (not configured, tool not installed, endpoint absent).
 * A {@link ChainedTokenCredential} moves on to its next member on this error, and only on this one.
 */
export class CredentialUnavailableError extends CredentialFactoryError {
  readonly code = "ERR_CREDENTIAL_UNAVAILABLE" as const;
}

/** The error body Microsoft Entra ID returned, as parsed from its JSON. */
export interface ErrorResponse {
  /** OAuth 2.0 error, e.g. `invalid_client`. */
  error: string;
  /** Human-readable description, starting with the AADSTS code. */
  errorDescription: string;
  /** AADSTS numbers, e.g. `[7000215]`. */
  errorCodes?: number[];
  timestamp?: string;
  traceId?: string;
  correlationId?: string;
}

/** Microsoft Entra ID (or a managed-identity endpoint) answered, and refused. */
export class AuthenticationError extends CredentialFactoryError {
  readonly code = "ERR_AUTHENTICATION" as const;
  /** HTTP status of the refusal; 400 when unknown. */
  readonly statusCode: number;
  readonly errorResponse: ErrorResponse;

  constructor(statusCode: number, errorResponse: ErrorResponse, options?: { cause?: unknown }) {
    super(`${errorResponse.error}(status code ${statusCode}).\nMore details:\n${errorResponse.errorDescription}`, options);
    this.statusCode = statusCode;
    this.errorResponse = errorResponse;
  }

  /** The first AADSTS number, e.g. `7000215`, when Entra ID sent one. */
  get aadstsCode(): number | undefined {
    return this.errorResponse.errorCodes?.[0];
  }
}

/** Every member of a chain failed; `errors` holds each member's error, in order. */
export class AggregateAuthenticationError extends CredentialFactoryError {
  readonly code = "ERR_AGGREGATE_AUTHENTICATION" as const;
  readonly errors: unknown[];

  constructor(errors: unknown[], message?: string) {
    const lines = errors.map((e) => `${e instanceof Error ? e.name : "Error"}: ${e instanceof Error ? e.message : String(e)}`);
    super(`${message ?? "ChainedTokenCredential authentication failed."}\n${lines.join("\n")}`);
    this.errors = errors;
  }
}

/** Options of {@link AuthenticationRequiredError}. */
export interface AuthenticationRequiredErrorOptions {
  scopes: string[];
  getTokenOptions?: { claims?: string; tenantId?: string };
  message?: string;
  cause?: unknown;
}

/** User interaction is needed, and automatic authentication was disabled. Call `authenticate()`. */
export class AuthenticationRequiredError extends CredentialFactoryError {
  readonly code = "ERR_AUTHENTICATION_REQUIRED" as const;
  readonly scopes: string[];
  readonly getTokenOptions?: { claims?: string; tenantId?: string };

  constructor(options: AuthenticationRequiredErrorOptions) {
    super(options.message ?? "Automatic authentication has been disabled. Call authenticate() first.", {
      cause: options.cause,
    });
    this.scopes = options.scopes;
    this.getTokenOptions = options.getTokenOptions;
  }
}

/** `@azure/identity` names these so; kept for code that compares `err.name`. */
export const CredentialUnavailableErrorName = "CredentialUnavailableError";
export const AuthenticationErrorName = "AuthenticationError";
export const AggregateAuthenticationErrorName = "AggregateAuthenticationError";
