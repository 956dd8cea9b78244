import { LogLevel as MsalLogLevel, type NodeSystemOptions } from "@azure/msal-node";

type LoggerOptions = NonNullable<NodeSystemOptions["loggerOptions"]>;
import { createLogger, getLogLevel } from "../logger.js";

const logger = createLogger("msal");

const TO_MSAL: Record<string, MsalLogLevel> = {
  verbose: MsalLogLevel.Verbose,
  info: MsalLogLevel.Warning,
  warning: MsalLogLevel.Error,
  error: MsalLogLevel.Error,
};

/**
 * msal-node's log, sent to this library's log one level lower: msal-node's warnings ("No client info in
 * response" on every client-credentials token) are noise to an application, and its errors reach the caller
 * as thrown errors anyway. PII logging stays off, and a line msal-node marks as containing PII is dropped.
 */
export function msalLoggerOptions(): LoggerOptions {
  return {
    piiLoggingEnabled: false,
    logLevel: TO_MSAL[getLogLevel()],
    loggerCallback(level: MsalLogLevel, message: string, containsPii: boolean) {
      if (containsPii) return;
      if (level === MsalLogLevel.Error || level === MsalLogLevel.Warning) logger.info(message);
      else logger.verbose(message);
    },
  };
}
