// The system Chromium and the flags every script starts it with (this machine has no network
// but localhost, and must download nothing: no browser of puppeteer's own, no updates).
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** The command line: a base URL, then one or more site paths. */
export function parseArgs(usage) {
  const [base, ...paths] = process.argv.slice(2);
  if (!base || paths.length === 0) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  return { base: base.replace(/\/$/, ""), paths };
}
