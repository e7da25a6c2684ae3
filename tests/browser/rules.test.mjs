// The extension's capture rules: which downloads go to Ferry and which stay in the browser.
// rules.js is the file the extension itself loads; it exports itself when run under Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const rules = require(path.join(here, '../../browser/extension/rules.js'));

const NOW = 1_800_000_000_000;
const MB = 1024 * 1024;

function item(fields) {
  return Object.assign({
    id: 1,
    url: 'https://example.com/files/big.zip',
    finalUrl: 'https://cdn.example.net/big.zip',
    referrer: 'https://example.com/downloads',
    filename: 'big.zip',
    mime: 'application/zip',
    totalBytes: 50 * MB,
    fileSize: 0,
    incognito: false,
  }, fields);
}

function decide(fields, settings, context) {
  return rules.decide(item(fields), settings || {}, Object.assign({ now: NOW, posts: [], bypass: [] }, context));
}

function reason(fields, settings, context) {
  const verdict = decide(fields, settings, context);
  return verdict.capture ? 'capture' : verdict.reason;
}

test('an ordinary http(s) download is caught with the defaults', () => {
  assert.deepEqual(decide({}), { capture: true });
  assert.equal(reason({ url: 'http://example.com/a.iso', finalUrl: '' }), 'capture');
});

test('switched off, nothing is caught', () => {
  assert.equal(reason({}, { enabled: false }), 'disabled');
});

test('blob: and data: stay in the browser, also when only the final address is one', () => {
  assert.equal(reason({ url: 'blob:https://example.com/3f1c-22', finalUrl: 'blob:https://example.com/3f1c-22' }), 'blob');
  assert.equal(reason({ url: 'data:text/plain;base64,SGVsbG8=', finalUrl: '' }), 'data');
  assert.equal(reason({ url: 'https://example.com/x', finalUrl: 'BLOB:https://example.com/x' }), 'blob');
});

test('other schemes stay in the browser', () => {
  for (const url of ['file:///etc/hosts', 'ftp://ftp.example.com/a.zip', 'filesystem:https://x/y', 'javascript:void(0)'])
    assert.equal(reason({ url, finalUrl: url }), 'scheme', url);
  assert.equal(reason({ url: '', finalUrl: '' }), 'scheme');
});

test('downloads started by an extension, ours included, stay in the browser', () => {
  assert.equal(reason({ byExtensionId: 'cihnbmkedaphfpommogcckbnlfknfmal' }), 'extension');
  assert.equal(reason({ byExtensionId: 'ferry@ferry.github.io' }), 'extension');
});

test('a POST answer stays in the browser for a minute, matched on either address', () => {
  const posts = [{ url: 'https://example.com/files/big.zip', time: NOW - 5000 }];
  assert.equal(reason({}, {}, { posts }), 'post');
  assert.equal(reason({}, {}, { posts: [{ url: 'https://cdn.example.net/big.zip#x', time: NOW - 1000 }] }), 'post');
  assert.equal(reason({}, {}, { posts: [{ url: 'https://example.com/files/big.zip', time: NOW - 61000 }] }), 'capture');
  assert.equal(reason({}, {}, { posts: [{ url: 'https://example.com/other', time: NOW }] }), 'capture');
});

test('private windows are caught only when allowed', () => {
  assert.equal(reason({ incognito: true }), 'incognito');
  assert.equal(reason({ incognito: true }, { catchIncognito: true }), 'capture');
});

test('the minimum size applies only when the size is known', () => {
  const settings = { minSizeMB: 1 };
  assert.equal(reason({ totalBytes: 500 * 1024 }, settings), 'size');
  assert.equal(reason({ totalBytes: 2 * MB }, settings), 'capture');
  assert.equal(reason({ totalBytes: -1, fileSize: -1 }, settings), 'capture');
  assert.equal(reason({ totalBytes: 0, fileSize: 0 }, settings), 'capture');
  assert.equal(reason({ totalBytes: -1, fileSize: 1024 }, settings), 'size');
  assert.equal(reason({ totalBytes: 10 }, { minSizeMB: 0 }), 'capture');
  assert.equal(reason({ totalBytes: 10 }, { minSizeMB: 'nonsense' }), 'capture');
});

test('never-catch types win, catch-only types restrict, case and dots do not matter', () => {
  assert.equal(reason({}, { neverTypes: 'ISO, zip' }), 'neverTypes');
  assert.equal(reason({}, { neverTypes: 'iso .exe' }), 'capture');
  assert.equal(reason({}, { onlyTypes: 'iso, mkv' }), 'onlyTypes');
  assert.equal(reason({}, { onlyTypes: '*.ZIP' }), 'capture');
  assert.equal(reason({ filename: 'linux.tar.gz' }, { onlyTypes: 'tar.gz' }), 'capture');
  assert.equal(reason({ filename: 'linux.tar.gz' }, { neverTypes: 'gz' }), 'neverTypes');
  assert.equal(reason({}, { onlyTypes: 'zip', neverTypes: 'zip' }), 'neverTypes');
  // "zip" is a type, not a substring: "archive.gzip" is not a zip.
  assert.equal(reason({ filename: 'archive.gzip' }, { neverTypes: 'zip' }), 'capture');
});

test('without a file name from the browser the type comes from the address', () => {
  assert.equal(reason({ filename: '', finalUrl: 'https://cdn.example.net/get/movie%20one.MKV?token=1' }, { onlyTypes: 'mkv' }), 'capture');
  assert.equal(reason({ filename: '/home/u/Downloads/report.pdf' }, { neverTypes: 'pdf' }), 'neverTypes');
  assert.equal(rules.fileNameOf({ filename: 'C:\\Users\\u\\a.txt' }), 'a.txt');
});

test('sites never to catch match hosts and their subdomains, on either address or the referring page', () => {
  assert.equal(reason({}, { neverSites: 'example.net' }), 'site');
  assert.equal(reason({}, { neverSites: 'EXAMPLE.COM\n' }), 'site');
  assert.equal(reason({ url: 'https://a.b.example.org/x.zip', finalUrl: '', referrer: '' }, { neverSites: 'example.org' }), 'site');
  assert.equal(reason({}, { neverSites: 'https://www.example.com/page\n*.example.net' }), 'site');
  assert.equal(reason({}, { neverSites: 'ample.com\nexample.co' }), 'capture');
  assert.equal(reason({ referrer: '' }, { neverSites: 'mple.com' }), 'capture');
  assert.deepEqual(rules.parseSites(' a.com, *.b.com\nhttps://c.com:8443/x\n\nd.com.'), ['a.com', 'b.com', 'c.com', 'd.com']);
});

test('a click with the bypass key held leaves its download in the browser for ten seconds', () => {
  const click = { url: 'https://example.com/files/big.zip', page: 'https://example.com/other-page', time: NOW - 2000 };
  assert.equal(reason({}, {}, { bypass: [click] }), 'modifier');
  // The link led to a page that started the download: that page is the download's referrer.
  assert.equal(reason({ url: 'https://x.example/1', finalUrl: 'https://y.example/2', referrer: 'https://example.com/files/big.zip' }, {}, { bypass: [click] }), 'modifier');
  // Another download from the page the click was made on is still caught.
  assert.equal(reason({ url: 'https://x.example/1', finalUrl: '', referrer: 'https://example.com/other-page' }, {}, { bypass: [click] }), 'capture');
  assert.equal(reason({}, {}, { bypass: [Object.assign({}, click, { time: NOW - 11000 })] }), 'capture');
  assert.equal(reason({}, {}, { bypass: [Object.assign({}, click, { url: 'https://example.com/elsewhere' })] }), 'capture');
  // With no bypass key chosen, clicks do not count.
  assert.equal(reason({}, { modifier: 'none' }, { bypass: [click] }), 'capture');
});

test('settings are completed and corrected', () => {
  const s = rules.withDefaults({ modifier: 'meta', timeoutSeconds: 0, minSizeMB: -3, enabled: 'yes' });
  assert.equal(s.modifier, 'alt');
  assert.equal(s.timeoutSeconds, 10);
  assert.equal(s.minSizeMB, 0);
  assert.equal(s.enabled, true);
  assert.equal(s.catchIncognito, false);
  assert.equal(rules.withDefaults({ timeoutSeconds: 500 }).timeoutSeconds, 120);
  assert.equal(rules.withDefaults({ timeoutSeconds: 5 }).timeoutSeconds, 10); // below the helper's own 7 s budget plus start-up
  assert.deepEqual(rules.parseTypes('zip, .ISO  *.tar.gz;;'), ['zip', 'iso', 'tar.gz']);
});

test('sizes: the total when known, else the bytes so far, else -1', () => {
  assert.equal(rules.sizeOf({ totalBytes: 5, fileSize: 7 }), 5);
  assert.equal(rules.sizeOf({ totalBytes: -1, fileSize: 7 }), 7);
  assert.equal(rules.sizeOf({ totalBytes: 0 }), -1);
  assert.equal(rules.sizeOf({}), -1);
});

test('Firefox defaults to Shift as the bypass key, Chromium to Alt; a stored choice wins', () => {
  assert.equal(rules.withDefaults({}).modifier, 'alt');
  assert.equal(rules.withDefaults({}, 'chromium').modifier, 'alt');
  assert.equal(rules.withDefaults({}, 'firefox').modifier, 'shift');
  assert.equal(rules.withDefaults({ modifier: 'ctrl' }, 'firefox').modifier, 'ctrl');
  assert.equal(rules.withDefaults({ modifier: 'bogus' }, 'firefox').modifier, 'shift');
});
