/**
 * The library's log. Nothing here receives a secret: callers log names, ids, paths and codes only.
 * The level comes from `AZURE_LOG_LEVEL` (as in the Azure SDK) and defaults to `warning`.
 */

/** Log levels, most verbose first. */
export type LogLevel = "verbose" | "info" | "warning" | "error";

/** Receives each log line that passes the level. */
export type LogSink = (level: LogLevel, message: string) => void;

const ORDER: Record<LogLevel, number> = { verbose: 0, info: 1, warning: 2, error: 3 };

function levelFromEnv(): LogLevel {
  const value = process.env.AZURE_LOG_LEVEL?.toLowerCase();
  return value !== undefined && value in ORDER ? (value as LogLevel) : "warning";
}

let currentLevel: LogLevel = levelFromEnv();
let sink: LogSink = (level, message) => {
  process.stderr.write(`azure-credential-factory ${level}: ${message}\n`);
};

/**
 * Sets the least severe level that is logged.
 * @param level - `verbose`, `info`, `warning` (default) or `error`.
 */
export function setLogLevel(level: LogLevel): void {
  if (!(level in ORDER)) throw new TypeError(`Unknown log level '${String(level)}'`);
  currentLevel = level;
}

/** The least severe level that is logged now. */
export function getLogLevel(): LogLevel {
  return currentLevel;
}

/**
 * Sends log lines to `newSink` instead of standard error; returns the previous sink.
 * @param newSink - called with each line at or above the current level.
 */
export function setLogSink(newSink: LogSink): LogSink {
  const previous = sink;
  sink = newSink;
  return previous;
}

/** A logger whose lines start with `[scope]`. */
export interface ScopedLogger {
  verbose(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  enabled(level: LogLevel): boolean;
}

/** @internal */
export function createLogger(scope: string): ScopedLogger {
  const write = (level: LogLevel) => (message: string) => {
    if (ORDER[level] >= ORDER[currentLevel]) sink(level, `[${scope}] ${message}`);
  };
  return {
    verbose: write("verbose"),
    info: write("info"),
    warning: write("warning"),
    error: write("error"),
    enabled: (level) => ORDER[level] >= ORDER[currentLevel],
  };
}
