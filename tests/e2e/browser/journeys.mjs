// The browser journeys: a real Chromium (or Firefox ESR) with Ferry's extension, a running
// Ferry window, and the test site of server.mjs. Started by tests/e2e/browser.sh, which sets
// the environment below; each journey asserts what a user would check (files and their
// sha256, the browser's download list, what the server was asked) and fails loudly.
//
//   node journeys.mjs chromium|firefox
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const which = process.argv[2];
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const ORIGIN = env('SITE');
const WORK = env('WORK');
const STATE = env('STATE');
const CLI = env('CLI');
const FERRY_DL = env('FERRY_DL'); // where Ferry saves
const BROWSER_DL = env('BROWSER_DL'); // where the browser saves by itself
const DATA = env('DATA'); // the files the site serves
const SHOTS = env('SHOTS');
const EXT = env(which === 'firefox' ? 'EXT_FIREFOX' : 'EXT_CHROMIUM');
const CHROMIUM_ID = 'cihnbmkedaphfpommogcckbnlfknfmal';

const t0 = Date.now();
const log = (...what) => console.log(`[journeys ${which} ${String(Math.round((Date.now() - t0) / 1000)).padStart(3)}s]`, ...what);
let step = 'start';
const fail = (message) => {
  throw new Error(`${which}: step '${step}': ${message}`);
};
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `probe` (sync or async) every 200 ms until it returns something truthy.
async function until(seconds, what, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) fail(`timed out after ${seconds}s waiting until ${what}`);
    await sleep(200);
  }
}

function ferryList() {
  let out;
  try {
    out = execFileSync(CLI, ['--state-dir', STATE, 'list', '--json'], { encoding: 'utf8', timeout: 20000 });
  } catch (error) {
    // Before the first download there may be no state yet (the helper is starting Ferry).
    if (error.status === undefined) throw error;
    return [];
  }
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
const ferryHas = (path) => ferryList().find((d) => d.url && new URL(d.url).pathname === path);
const serverLog = async () => (await fetch(`${ORIGIN}/admin/log`)).json();
const xdotool = (...args) => execFileSync('xdotool', args, { encoding: 'utf8' }).trim();
const findWindow = (title) => {
  try {
    return xdotool('search', '--onlyvisible', '--name', title).split('\n').filter(Boolean).pop();
  } catch {
    return undefined;
  }
};
const screenshot = (name) => {
  try {
    execFileSync('import', ['-display', process.env.DISPLAY, '-window', 'root', join(SHOTS, name)]);
  } catch {}
};

// Ferry finished the download of `path`: its file is byte-equal to the site's.
async function ferryCompleted(path, name) {
  const done = await until(60, `Ferry completed ${path}`, () => {
    const d = ferryHas(path);
    if (d && d.state === 'failed') fail(`Ferry's download of ${path} failed: ${d.message || ''}`);
    return d && d.state === 'completed' ? d : undefined;
  });
  if (sha256(done.file) !== sha256(join(DATA, name))) fail(`${done.file} differs from the site's ${name}`);
  log(`Ferry saved ${done.file} byte-exact`);
  return done;
}

function hostMode(mode) {
  writeFileSync(join(WORK, 'host-mode'), mode);
}

// --- the browser -----------------------------------------------------------------------------
let browser;
let worker; // Chromium: the extension's service worker, to read the browser's download list

async function launch() {
  if (which === 'chromium') {
    browser = await puppeteer.launch({
      executablePath: '/usr/bin/chromium',
      headless: false,
      userDataDir: join(WORK, 'chromium-profile'),
      defaultViewport: { width: 1100, height: 700 },
      args: [
        `--load-extension=${EXT}`,
        `--disable-extensions-except=${EXT}`,
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--password-store=basic', `--lang=${process.env.BROWSER_LANG || 'en-US'}`,
      ],
    });
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROMIUM_ID}/`),
      { timeout: 20000 },
    );
    worker = await target.worker();
  } else {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: '/usr/bin/firefox-esr',
      headless: false,
      userDataDir: join(WORK, 'firefox-profile'),
      defaultViewport: { width: 1100, height: 700 },
      extraPrefsFirefox: {
        'browser.download.dir': BROWSER_DL,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.alwaysOpenPanel': false,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.download.start_downloads_in_tmp_dir': false,
        'extensions.experiments.enabled': true,
      },
    });
    await browser.installExtension(EXT);
  }
}

const browserDownloads = async () =>
  which === 'chromium' ? worker.evaluate(() => new Promise((r) => chrome.downloads.search({}, r))) : [];

async function visit(path) {
  const page = await browser.newPage();
  await page.goto(`${ORIGIN}${path}`);
  return page;
}

// The browser kept nothing: no entry in its list (Chromium), no file in its folder.
async function browserKeptNothing(name) {
  // The browser lets go of it once Ferry has answered, which may come after a fast download.
  let items = [];
  const deadline = Date.now() + 10000;
  while ((items = await browserDownloads()).length && Date.now() < deadline) await sleep(200);
  if (items.length) fail(`the browser's download list has ${items.map((i) => `${i.url} (${i.state})`).join(', ')}`);
  const mine = () => readdirSync(BROWSER_DL).filter((f) => f.startsWith(name.replace(/\.bin$/, '')));
  let files;
  while ((files = mine()).length && Date.now() < deadline + 5000) await sleep(200);
  if (files.length) fail(`the browser saved ${files.join(', ')} too`);
}

// The browser downloaded `name` itself (completed, in its folder), and Ferry was not asked.
async function browserCompleted(name, expectSha) {
  const file = join(BROWSER_DL, name);
  await until(60, `the browser saved ${name}`, async () => {
    if (which === 'chromium') {
      const items = await browserDownloads();
      return items.find((i) => i.filename.endsWith(`/${name}`) && i.state === 'complete');
    }
    return existsSync(file) && !existsSync(`${file}.part`);
  });
  if (expectSha && sha256(file) !== expectSha) fail(`the browser's ${name} is not the file the page made`);
  log(`the browser saved ${name} itself`);
}

async function journeyPlain() {
  step = '1 a plain link';
  const page = await visit('/plain.html');
  await page.click(which === 'firefox' ? '#firefox' : '#plain');
  const name = which === 'firefox' ? 'firefox.bin' : 'plain.bin';
  const done = await ferryCompleted(`/files/${name}`, name);
  if (!done.file.startsWith(FERRY_DL)) fail(`Ferry saved to ${done.file}, not under ${FERRY_DL}`);
  await browserKeptNothing(name);
  const asked = (await serverLog()).filter((e) => e.path === `/files/${name}` && e.method === 'GET');
  const ferryUa = asked.filter((e) => e.status === 206 || e.status === 200);
  if (!ferryUa.length) fail('the server saw no GET from Ferry');
  await page.close();
}

async function journeyCookie() {
  step = '2 a link that needs the session cookie';
  const name = `secret-${which}.bin`;
  const page = await visit(`/login?file=${name}`);
  await page.click('#private');
  await ferryCompleted(`/private/${name}`, name);
  await browserKeptNothing(name);
  const denied = (await serverLog()).filter((e) => e.path === `/private/${name}` && e.status === 403);
  if (denied.length) fail(`${denied.length} request(s) for ${name} came without the session cookie`);
  await page.close();
}

async function journeyReferer() {
  step = '3 a link that needs its page as Referer';
  const page = await visit('/referer.html');
  await page.click('#ref');
  await ferryCompleted('/needs-referer/ref.bin', 'ref.bin');
  await browserKeptNothing('ref.bin');
  await page.close();
}

async function journeyLeftToBrowser() {
  step = '4 a blob: download stays in the browser';
  let page = await visit('/blob.html');
  await page.click('#blob');
  const made = createHash('sha256')
    .update(Uint8Array.from({ length: 200000 }, (_, i) => (i * 31 + 7) & 0xff))
    .digest('hex');
  await browserCompleted('made-here.bin', made);
  await page.close();

  step = '4 a POST download stays in the browser';
  const earlier = (await serverLog()).length; // the site's log is shared by both browsers
  page = await visit('/form.html');
  await page.click('#post');
  await browserCompleted('report.bin', sha256(join(DATA, 'report.bin')));
  const asked = (await serverLog()).slice(earlier).filter((e) => e.path === '/post-download');
  const posts = asked.filter((e) => e.method === 'POST').length;
  if (posts !== 1 || asked.length !== 1)
    fail(`the server was asked for the form's download ${asked.length} time(s) (${posts} POST); only the browser's one POST was expected`);
  if (ferryList().some((d) => d.url.includes('/post-download') || d.url.startsWith('blob:')))
    fail('Ferry took a download that only the browser can replay');
  await page.close();
}

async function journeyFerryUnreachable() {
  step = '5 Ferry does not answer: the browser downloads';
  hostMode('unreachable');
  const page = await visit('/plain.html');
  await page.click('#fallback');
  await browserCompleted('fallback.bin', sha256(join(DATA, 'fallback.bin')));
  if (ferryHas('/files/fallback.bin')) fail('Ferry has fallback.bin although it could not be reached');
  hostMode('normal');
  await page.close();
}

async function journeyAllLinks() {
  step = '6 "Download all links with Ferry…" on a page with 20 links';
  const page = await visit('/links.html');
  // A right click on the page, by real input: the extension's item sits above "View page
  // source" and "Inspect", the last two of the page's menu.
  const visibleWindows = () => {
    try {
      return xdotool('search', '--onlyvisible', '--name', '.*').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  const win = xdotool('search', '--onlyvisible', '--class', 'chromium').split('\n').filter(Boolean).pop();
  xdotool('windowfocus', '--sync', win);
  const before = visibleWindows();
  xdotool('mousemove', '--window', win, '700', '450', 'click', '3');
  await until(10, 'the context menu opens', () => visibleWindows() > before); // a window of its own
  await sleep(300); // its first paint, for the picture
  screenshot('browser-06a-context-menu-en.png');
  xdotool('key', 'Up', 'Up', 'Up', 'Return');
  const dialog = await until(30, 'the add dialog listing the links', () => findWindow('^Add Downloads$'));
  await sleep(800); // the first paint and the probes of the ticked links
  screenshot('browser-06-all-links-en.png');
  xdotool('windowfocus', '--sync', dialog);
  xdotool('key', '--clearmodifiers', 'Return'); // Start Now, with the ticked links
  await until(60, 'all 20 archives in Ferry', () => {
    const list = ferryList().filter((d) => /\/files\/link-\d\d\.zip$/.test(d.url));
    return list.length === 20 && list.every((d) => d.state === 'completed');
  });
  for (let i = 1; i <= 20; ++i) {
    const name = `link-${String(i).padStart(2, '0')}.zip`;
    if (sha256(join(FERRY_DL, name)) !== sha256(join(DATA, name))) fail(`${name} differs`);
  }
  if (ferryList().some((d) => d.url.endsWith('/index.html'))) fail('the page link was added (it should not be ticked)');
  log('the add dialog listed the links; the 20 archives were ticked and arrived byte-exact');
  await page.close();
}

async function journeySignedLink() {
  step = '7 a signed link that expires mid-download';
  const size = readFileSync(join(DATA, 'big.bin')).length;
  let page = await visit('/signed.html');
  await page.click('#signed');
  const running = await until(30, 'the signed download a third done', () => {
    const d = ferryHas('/signed/big.bin');
    return d && d.done >= size / 3 ? d : undefined;
  });
  const rotated = await (await fetch(`${ORIGIN}/admin/rotate`)).json();
  log(`signature revoked at ${running.done} of ${size} bytes`);
  await until(60, 'Ferry stops on the revoked link', () => {
    const d = ferryHas('/signed/big.bin');
    return d && (d.state === 'failed' || d.state === 'paused') ? d : undefined;
  });
  const before = ferryHas('/signed/big.bin').done;
  await page.close();

  // The user opens the page again (a fresh signature) and clicks the link once more.
  page = await visit('/signed.html');
  await page.click('#signed');
  const question = await until(30, 'Ferry asks what to do with the same file', () => findWindow('^Already in the List$'));
  await sleep(300);
  screenshot('browser-07-continue-question-en.png');
  xdotool('windowfocus', '--sync', question);
  xdotool('key', '--clearmodifiers', 'alt+c'); // "Continue the Existing Download with This New Address"
  // Ferry checks the new address (size, validators) before it takes it; until then the
  // download stays as the revoked link left it.
  await until(30, 'the download carries the new address', () => ferryHas('/signed/big.bin')?.url.includes(rotated.signature));
  const done = await ferryCompleted('/signed/big.bin', 'big.bin');
  if (ferryList().filter((d) => d.url.includes('/signed/big.bin')).length !== 1)
    fail('a second download was made instead of continuing the first');
  const asked = (await serverLog()).filter((e) => e.path === '/signed/big.bin');
  const fresh = asked.filter((e) => e.signed === rotated.signature);
  const sentAgain = fresh.reduce((n, e) => n + e.sent, 0);
  const sentInAll = asked.reduce((n, e) => n + e.sent, 0);
  // What was in flight when the link was cut off is fetched again; nothing else is.
  const slack = 2 * 1024 * 1024;
  if (sentAgain > size - before + slack)
    fail(`the new address served ${sentAgain} bytes; only the ${size - before} missing ones were expected`);
  if (sentInAll > size + slack) fail(`the server sent ${sentInAll} bytes in all for a file of ${size}`);
  log(`continued with the new address: ${sentAgain} bytes served after the change, ${before} kept`);
  if (!done.url.includes(rotated.signature)) fail('the download does not carry the new address');
  await page.close();
}

async function pictures() {
  step = 'screenshots of the popup and the options page';
  const lang = process.env.BROWSER_LANG?.startsWith('zh') ? 'zh_CN' : 'en';
  const base = which === 'chromium' ? `chrome-extension://${CHROMIUM_ID}` : undefined;
  if (!base) return;
  for (const [file, size] of [['popup.html', { width: 380, height: 420 }], ['options.html', { width: 900, height: 900 }]]) {
    const page = await browser.newPage();
    await page.setViewport(size);
    await page.goto(`${base}/${file}`);
    await sleep(600); // the connection check
    await page.screenshot({ path: join(SHOTS, `browser-${file.replace('.html', '')}-${which}-${lang}.png`) });
    await page.close();
  }
}

const journeys = (process.env.JOURNEYS || (which === 'chromium' ? 'plain,cookie,referer,left,unreachable,links,signed,pictures' : 'plain,cookie,left'))
  .split(',')
  .filter(Boolean);
const table = {
  plain: journeyPlain,
  cookie: journeyCookie,
  referer: journeyReferer,
  left: journeyLeftToBrowser,
  unreachable: journeyFerryUnreachable,
  links: journeyAllLinks,
  signed: journeySignedLink,
  pictures,
};

try {
  step = 'launch';
  await launch();
  log('browser up with the extension');
  for (const name of journeys) {
    if (!table[name]) fail(`no journey ${name}`);
    await table[name]();
    log(`journey ${name}: passed`);
  }
  await browser.close();
  log('all journeys passed');
} catch (error) {
  console.error(error.stack || String(error));
  screenshot(`browser-zz-failure-${which}.png`);
  try {
    await browser?.close();
  } catch {}
  process.exit(1);
}
