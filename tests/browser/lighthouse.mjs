// lighthouse.mjs BASE_URL PATH…: Lighthouse's default audit (the mobile preset) of each page,
// one after the other, each in a fresh headless Chromium. Prints one JSON object:
// {lighthouse, chromium, pages: [{path, scores, failing, runtimeError}]}: the four category
// scores ×100, and for each category under 100 its audits that did not fully pass (the tests
// fail under 95; the rest shows what a lost point is for).
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

import { CHROMIUM, FLAGS, parseArgs } from "./chromium.mjs";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const { base, paths } = parseArgs("node lighthouse.mjs BASE_URL PATH…");

async function audit(url) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", ...FLAGS],
  });
  try {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      logLevel: "error",
      onlyCategories: CATEGORIES,
    });
    return lhr;
  } finally {
    chrome.kill();
  }
}

function failingAudits(lhr, category) {
  return category.auditRefs
    .map((ref) => ({ weight: ref.weight, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit.score !== null && audit.score < 1)
    .map(({ weight, audit }) => ({
      id: audit.id,
      title: audit.title,
      score: audit.score,
      weight,
      displayValue: audit.displayValue ?? null,
      items: Array.isArray(audit.details?.items) ? audit.details.items.slice(0, 5).map(describe) : [],
    }));
}

// One line per detail item (a URL, a console message, an element): enough to find the cause.
function describe(item) {
  const parts = [item.description, item.url ?? item.sourceLocation?.url, item.node?.snippet];
  const text = parts.filter((part) => typeof part === "string").join(" ");
  return text || JSON.stringify(item).slice(0, 200);
}

const pages = [];
let versions = {};
for (const path of paths) {
  const lhr = await audit(base + path);
  versions = { lighthouse: lhr.lighthouseVersion, chromium: lhr.environment.hostUserAgent };
  const scores = {};
  const failing = {};
  for (const id of CATEGORIES) {
    const { score } = lhr.categories[id];
    scores[id] = score === null ? null : Math.round(score * 100);
    if (scores[id] === null || scores[id] < 100) {
      failing[id] = failingAudits(lhr, lhr.categories[id]);
    }
  }
  pages.push({ path, scores, failing, runtimeError: lhr.runtimeError?.message ?? null });
}
process.stdout.write(`${JSON.stringify({ ...versions, pages }, null, 2)}\n`);
