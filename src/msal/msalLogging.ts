import type { LogLevel as MsalLogLevel, NodeSystemOptions } from "@azure/msal-node";
import { createLogger, getLogLevel } from "../logger.js";
import { msalNode } from "./msalNode.js";

type LoggerOptions = NonNullable<NodeSystemOptions["loggerOptions"]>;

const logger = createLogger("msal");

/** Our level → the msal-node level that is one step quieter (see {@link msalLoggerOptions}). */
const TO_MSAL = { verbose: "Verbose", info: "Warning", warning: "Error", error: "Error" } as const satisfies Record<string, keyof typeof MsalLogLevel>;

/**
 * msal-node's log, sent to this library's log one level lower: msal-node's warnings ("No client info in
 * response" on every client-credentials token) are noise to an application, and its errors reach the caller
 * as thrown errors anyway. PII logging stays off, and a line msal-node marks as containing PII is dropped.
 */
export function msalLoggerOptions(): LoggerOptions {
  const { LogLevel } = msalNode();
  const level = getLogLevel() as keyof typeof TO_MSAL;
  return {
    piiLoggingEnabled: false,
    logLevel: LogLevel[TO_MSAL[level] ?? "Error"],
    loggerCallback(level: MsalLogLevel, message: string, containsPii: boolean) {
      if (containsPii) return;
      if (level === LogLevel.Error || level === LogLevel.Warning) logger.info(message);
      else logger.verbose(message);
    },
  };
}
