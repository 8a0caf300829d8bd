// Scrubs credentials out of text that came from git (stderr, URLs) before Aegis shows or logs it:
// the user-info part of any URL, and every known secret wherever it appears.

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]*@/gi;

export function redactUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1');
}

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(URL_USERINFO, '$1***@');
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join('***');
    // git may print the percent-encoded form of a secret that was part of a URL.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out;
}

/** The first few meaningful lines of git's stderr, redacted, for an error message. */
export function summariseStderr(
  stderr: string,
  secrets: readonly (string | undefined)[] = [],
  maxLength = 300,
): string {
  const lines = redact(stderr, secrets)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'));
  const text = lines.slice(0, 3).join(' ');
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
