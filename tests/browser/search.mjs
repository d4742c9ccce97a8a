// search.mjs BASE_URL PATH QUERY FILTER VALUE: on a search page, type QUERY, read the results,
// then choose VALUE in the FILTER dropdown and read them again. Prints one JSON object:
// {query: [{title, href, date, summary}], filtered: [...], options: [facet values offered]}.
import puppeteer from "puppeteer-core";

import { CHROMIUM, FLAGS } from "./chromium.mjs";

const [base, path, query, filter, value] = process.argv.slice(2);
if (!value) {
  process.stderr.write("usage: node search.mjs BASE_URL PATH QUERY FILTER VALUE\n");
  process.exit(2);
}

const results = (page) =>
  page.$$eval(".pf-result", (items) =>
    items.map((item) => ({
      title: item.querySelector(".pf-result-link")?.textContent.trim(),
      href: item.querySelector(".pf-result-link")?.getAttribute("href"),
      date: item.querySelector(".pf-result-date")?.textContent.trim() ?? null,
      summary: item.querySelector(".pf-result-summary")?.textContent.trim() ?? null,
    })),
  );

// Results render as they arrive; wait until the list has stopped changing.
async function settled(page) {
  let last = "";
  for (let i = 0; i < 50; i += 1) {
    await new Promise((done) => setTimeout(done, 150));
    const now = JSON.stringify(await results(page));
    if (now === last && now !== "[]") return JSON.parse(now);
    last = now;
  }
  return JSON.parse(last || "[]");
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 4000 }); // every result in view: none lazy
  await page.goto(base.replace(/\/$/, "") + path, { waitUntil: "load" });
  await page.waitForSelector("pagefind-input input");
  await page.type("pagefind-input input", query);
  const found = await settled(page);

  const dropdown = `pagefind-filter-dropdown[filter="${filter}"]`;
  await page.click(`${dropdown} .pf-dropdown-trigger`);
  await page.waitForSelector(`${dropdown} [role="option"]`);
  const options = await page.$$eval(`${dropdown} [role="option"]`, (nodes) =>
    nodes.map((node) => node.textContent.trim()),
  );
  const choice = await page.$$(`${dropdown} [role="option"]`);
  const index = options.findIndex((text) => text.startsWith(value));
  if (index < 0) throw new Error(`no option '${value}' in ${filter}: ${options.join(" | ")}`);
  await choice[index].click();
  await new Promise((done) => setTimeout(done, 300));
  const filtered = await settled(page);
  process.stdout.write(`${JSON.stringify({ query: found, filtered, options }, null, 2)}\n`);
} finally {
  await browser.close();
}
