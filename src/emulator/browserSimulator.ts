/**
 * An emulated system browser for interactive sign-in tests: loads the
 * authorize URL (trusting the emulator CA) and delivers the answer to the
 * redirect URI like a browser would — following a 302 `Location`, or posting
 * the auto-submitting `form_post` form.
 */
import { Agent, request } from "undici";

const ENTITIES: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&lt;": "<", "&gt;": ">", "&#39;": "'" };

function decodeHtml(text: string): string {
  return text.replace(/&(amp|quot|lt|gt|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** A parsed `form_post` page: where it posts and what. */
export interface FormPostPage {
  action: string;
  fields: Record<string, string>;
}

/** Parses the emulator's `form_post` page; undefined when the HTML has no such form. */
export function parseFormPostPage(html: string): FormPostPage | undefined {
  const form = /<form[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)" \/>/g)) {
    fields[decodeHtml(input[1]!)] = decodeHtml(input[2]!);
  }
  return { action: decodeHtml(form[1]!), fields };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Loads `authorizeUrl` and delivers the response to its redirect URI.
 * Rejects when the authorize endpoint refuses the request (an Entra error
 * that cannot be redirected) or answers something a browser could not follow.
 */
export async function simulateBrowser(authorizeUrl: string, caCertificatePem: string): Promise<void> {
  const dispatcher = new Agent({ connect: { ca: caCertificatePem } });
  try {
    const page = await request(authorizeUrl, { method: "GET", dispatcher });
    const text = await page.body.text();
    if (page.statusCode >= 300 && page.statusCode < 400) {
      const location = single(page.headers.location);
      if (!location) throw new Error(`The authorize endpoint answered ${page.statusCode} without a Location header`);
      const delivered = await request(location.split("#")[0]!, { method: "GET", dispatcher });
      await delivered.body.dump();
      return;
    }
    const form = page.statusCode === 200 ? parseFormPostPage(text) : undefined;
    if (!form) {
      throw new Error(`The authorize endpoint answered ${page.statusCode}: ${text.slice(0, 500)}`);
    }
    const posted = await request(form.action, {
      method: "POST",
      body: new URLSearchParams(form.fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      dispatcher,
    });
    await posted.body.dump();
  } finally {
    await dispatcher.close();
  }
}
