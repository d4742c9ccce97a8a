// search.mjs BASE_URL PATH QUERY [FILTER=VALUE ...]: on a search page, type QUERY and read the
// results; then, step by step, open the FILTER dropdown, read its options, and choose VALUE (an
// empty VALUE clears the filter instead), and read the results again. Prints one JSON object:
// {query: [{title, href, date, summary}], steps: [{filter, value, options, results}]}, where
// options are [{value, selected}] as the dropdown showed them before the choice.
import puppeteer from "puppeteer-core";

import { CHROMIUM, FLAGS } from "./chromium.mjs";

const [base, path, query, ...choices] = process.argv.slice(2);
if (!query || choices.some((choice) => !choice.includes("="))) {
  process.stderr.write("usage: node search.mjs BASE_URL PATH QUERY [FILTER=VALUE ...]\n");
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

async function choose(page, filter, value) {
  const dropdown = `pagefind-filter-dropdown[filter="${filter}"]`;
  await page.click(`${dropdown} .pf-dropdown-trigger`);
  await page.waitForSelector(`${dropdown} [role="option"]`);
  const options = await page.$$eval(`${dropdown} [role="option"]`, (nodes) =>
    nodes.map((node) => ({
      value: node.querySelector(".pf-dropdown-option-label").textContent.trim(),
      selected: node.getAttribute("aria-selected") === "true",
    })),
  );
  if (value) {
    const index = options.findIndex((option) => option.value === value);
    if (index < 0) throw new Error(`no option '${value}' in ${filter}: ${JSON.stringify(options)}`);
    await (await page.$$(`${dropdown} [role="option"]`))[index].click();
  } else {
    await page.keyboard.press("Escape");
    await page.click(`${dropdown} .pf-dropdown-clear`);
  }
  await new Promise((done) => setTimeout(done, 300));
  return { filter, value, options, results: await settled(page) };
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 4000 }); // every result in view: none lazy
  await page.goto(base.replace(/\/$/, "") + path, { waitUntil: "load" });
  await page.waitForSelector("pagefind-input input");
  await page.type("pagefind-input input", query);
  const found = await settled(page);
  const steps = [];
  for (const choice of choices) {
    const [filter, value] = choice.split(/=(.*)/s);
    steps.push(await choose(page, filter, value));
  }
  process.stdout.write(`${JSON.stringify({ query: found, steps }, null, 2)}\n`);
} finally {
  await browser.close();
}
