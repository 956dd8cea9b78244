/**
 * The few HTML pages the emulator serves: the `form_post` auto-submit page of
 * the authorize endpoint and the `/devicelogin` sign-in form.
 */
import type { EmulatorHttpResponse } from "./httpMessages.js";

const HTML = "text/html; charset=utf-8";

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Entra's `response_mode=form_post` page: a hidden form posting `fields` to
 * `action`, submitted by script as soon as the page loads.
 */
export function formPostPage(action: string, fields: Record<string, string>): EmulatorHttpResponse {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join("");
  const body =
    `<html><head><title>Working...</title></head><body>` +
    `<form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}` +
    `<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form>` +
    `<script language="javascript">document.forms[0].submit();</script></body></html>`;
  return { status: 200, body, contentType: HTML };
}

/** `GET /devicelogin`: the form a person fills in to approve a device code. */
export function deviceLoginFormPage(): EmulatorHttpResponse {
  const body =
    `<html><head><title>Enter code</title></head><body><h1>Enter code</h1>` +
    `<p>Enter the code displayed on your app or device.</p>` +
    `<form method="POST" action="/devicelogin">` +
    `<label>Code <input name="user_code" autocomplete="off" /></label><br />` +
    `<label>User name <input name="username" /></label><br />` +
    `<label>Password <input name="password" type="password" /></label><br />` +
    `<button type="submit" name="action" value="approve">Sign in</button> ` +
    `<button type="submit" name="action" value="decline">Cancel</button>` +
    `</form></body></html>`;
  return { status: 200, body, contentType: HTML };
}

/** A plain message page. */
export function messagePage(title: string, message: string): EmulatorHttpResponse {
  return {
    status: 200,
    body: `<html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
    contentType: HTML,
  };
}
