import { ConfigurationError } from "../errors.js";

/**
 * Parses JSON that may hold `//` and `/* *\/` comments and trailing commas (what .NET's JSON configuration
 * accepts). Comments and trailing commas are blanked out in place, so positions in errors stay true.
 * @throws ConfigurationError `ERR_CONFIG_JSON` with the file, line and column.
 */
export function parseJsonWithComments(text: string, file: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const cleaned = blankCommentsAndTrailingCommas(source);
  try {
    return JSON.parse(cleaned);
  } catch (cause) {
    const match = /position (\d+)/.exec((cause as Error).message);
    const position = match ? Number(match[1]) : cleaned.length;
    const before = source.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    const reason = (cause as Error).message.replace(/ in JSON at position \d+.*$/s, "").replace(/^Unexpected token .*/, "unexpected character");
    throw new ConfigurationError("ERR_CONFIG_JSON", `${file}:${line}:${column}`, `Malformed JSON: ${reason}`);
  }
}

function blankCommentsAndTrailingCommas(text: string): string {
  return blankTrailingCommas(scanOutsideStrings(text.split(""), (out, i) => {
    if (out[i] === "/" && out[i + 1] === "/") {
      while (i < out.length && out[i] !== "\n") out[i++] = " ";
      return i;
    }
    if (out[i] === "/" && out[i + 1] === "*") {
      out[i] = out[i + 1] = " ";
      i += 2;
      while (i < out.length && !(out[i] === "*" && out[i + 1] === "/")) {
        if (out[i] !== "\n") out[i] = " ";
        i++;
      }
      if (i < out.length) out[i] = out[i + 1] = " ";
      return i + 2;
    }
    return i + 1;
  })).join("");
}

function blankTrailingCommas(chars: string[]): string[] {
  return scanOutsideStrings(chars, (out, i) => {
    if (out[i] === ",") {
      let j = i + 1;
      while (j < out.length && /\s/.test(out[j])) j++;
      if (out[j] === "}" || out[j] === "]") out[i] = " ";
    }
    return i + 1;
  });
}

/** Calls `step` at each position outside JSON strings; `step` returns the next position. */
function scanOutsideStrings(out: string[], step: (out: string[], i: number) => number): string[] {
  let i = 0;
  while (i < out.length) {
    if (out[i] === '"') {
      i++;
      while (i < out.length && out[i] !== '"') i += out[i] === "\\" ? 2 : 1;
      i++;
    } else {
      i = step(out, i);
    }
  }
  return out;
}
