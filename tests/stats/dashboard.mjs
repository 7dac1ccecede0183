// Headless Chromium through the dashboard: log in with the form, read the published cells,
// check them against what the tests posted, keep a screenshot, sign out.
// SPDX-License-Identifier: GPL-3.0-or-later
//
// node dashboard.mjs BASE-URL USER PASSWORD QUERY EXPECT.json SCREENSHOT.png USER-AGENT
// EXPECT.json: {"cells": {"data-cell key": "text"}, "texts": {"#id": ["substring", ...]}}
// Prints one line per check; exits 1 if any failed.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [base, user, password, query, expectPath, shot, ua] = process.argv.slice(2);
const expect = JSON.parse(readFileSync(expectPath, 'utf8'));
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} - chromium: ${what}`);
  if (!ok) failed++;
};

const profile = process.env.CHROMIUM_PROFILE;
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  userAgent: ua,
  viewport: { width: 1440, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = browser.pages()[0] || await browser.newPage();
  const elsewhere = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) elsewhere.push(r.url());
  });

  await page.goto(`${base}/${query}`);
  check(new URL(page.url()).pathname === '/login', `without a session / leads to /login (${page.url()})`);
  await page.fill('input[name=name]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  check(await page.locator('#totals').count() === 1, 'signed in, the dashboard shows');

  const resp = await page.goto(`${base}/${query}`);
  const csp = resp.headers()['content-security-policy'] || '';
  check(csp.includes("default-src 'none'") && !csp.includes('script-src'),
    `no scripts allowed by CSP (${csp})`);
  check(await page.evaluate(() => document.scripts.length) === 0, 'the page has no script');
  check(await page.locator('svg rect').count() > 10, 'SVG charts are drawn');

  const cells = await page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('[data-cell]')].map((e) => [e.dataset.cell, e.textContent.trim()])));
  for (const [key, want] of Object.entries(expect.cells)) {
    check(cells[key] === want, `cell ${key} = ${JSON.stringify(cells[key])}, want ${JSON.stringify(want)}`);
  }
  for (const [sel, subs] of Object.entries(expect.texts)) {
    const text = (await page.locator(sel).first().textContent()).replace(/\s+/g, ' ');
    for (const s of subs) check(text.includes(s), `${sel} says "${s}"`);
  }
  const small = Object.entries(cells).filter(([, v]) => v !== '<5' && /^-?\d+$/.test(v) && Number(v) < 5);
  check(small.length === 0, `no published cell below 5 (${small.map(([k, v]) => `${k}=${v}`).join(' ')})`);

  // Every shown count carries its range; "<5" and "no data" carry none.
  const margins = await page.evaluate(() => [...document.querySelectorAll('[data-margin]')]
    .map((e) => e.textContent.trim()));
  check(margins.length > 0 && margins.every((m) => /^± \d+$/.test(m.replace(/\s/g, ' '))),
    `${margins.length} ranges written "± N"`);

  // Keyboard: the first stops in order, each with a visible focus ring.
  const stops = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { text: (e.textContent || e.name || '').trim(), ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    }));
  }
  const want = ['Sign out', 'This quarter', 'Last quarter', 'Last 12 months', 'This year', 'from'];
  check(stops.every((s, i) => s.text === want[i]),
    `focus order ${JSON.stringify(stops.map((s) => s.text))}`);
  check(stops.every((s) => s.ring), 'keyboard focus is visible on each stop');

  await page.screenshot({ path: shot, fullPage: true });
  check(true, `screenshot kept in ${shot}`);

  // A phone: no sideways scrolling of the page; wide tables and charts scroll in their box.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 390, `at 390 px the page is ${wide} px wide`);
  const boxes = await page.evaluate(() => [...document.querySelectorAll('table')]
    .filter((t) => t.getBoundingClientRect().width > 390)
    .every((t) => ['auto', 'scroll'].includes(getComputedStyle(t.closest('.scroll') || t).overflowX)));
  check(boxes, 'tables wider than the phone scroll inside their box');
  await page.screenshot({ path: shot.replace('.png', '-390.png'), fullPage: true });

  // Printed for a donor: the statement's title block shows, the forms do not.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    statement: getComputedStyle(document.querySelector('#statement')).display !== 'none',
    filters: getComputedStyle(document.querySelector('#filters')).display === 'none',
    text: document.querySelector('#statement').textContent,
  }));
  check(printed.statement && printed.filters && /Reach statement/.test(printed.text) &&
    /Generated \d{4}-\d\d-\d\d/.test(printed.text), 'print shows the statement, not the forms');
  await page.pdf({ path: shot.replace('.png', '.pdf'), format: 'A4' });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1440, height: 900 });

  await Promise.all([page.waitForURL(`${base}/login`), page.click('header button[type=submit]')]);
  await page.goto(`${base}/`);
  check(new URL(page.url()).pathname === '/login', 'signed out: / leads to /login again');
  check(elsewhere.length === 0, `nothing loaded from elsewhere (${elsewhere.join(' ')})`);
} catch (e) {
  check(false, `exception: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
