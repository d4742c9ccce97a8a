// axe.mjs BASE_URL PATH…: run axe-core's WCAG 2.1 A and AA rules on each page in headless
// Chromium, and print one JSON object:
// {axe, pages: [{path, status, violations: [{id, impact, help, targets}]}]}.
import axe from "axe-core";
import puppeteer from "puppeteer-core";

import { CHROMIUM, FLAGS, parseArgs } from "./chromium.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const { base, paths } = parseArgs("node axe.mjs BASE_URL PATH…");

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
const pages = [];
try {
  const page = await browser.newPage();
  for (const path of paths) {
    const response = await page.goto(base + path, { waitUntil: "load" });
    // Let scripts finish what they fetch (the search page's Pagefind UI) before judging the page.
    await page.waitForNetworkIdle({ idleTime: 200, timeout: 10_000 });
    await page.evaluate(axe.source);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      TAGS,
    );
    pages.push({
      path,
      status: response.status(),
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(" ")),
      })),
    });
  }
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify({ axe: axe.version, pages }, null, 2)}\n`);
