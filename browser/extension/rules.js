// Whether a browser download is handed to Ferry, and if not, why not.
//
// Everything here is pure: the caller passes the download, the settings and what the page
// recently did (POST submissions, clicks with the bypass key held), so the same code runs in
// the extension's background and under Node for the tests. The answer names a reason rather
// than a sentence; the popup translates it.

/* exported FerryRules */
const FerryRules = (() => {
  'use strict';

  // How long a POST navigation or a bypass click keeps marking a URL. A form that answers
  // with a file usually starts the download within a second; servers that build the file
  // first can take much longer, hence the generous POST window.
  const POST_MEMORY_MS = 60 * 1000;
  const BYPASS_MEMORY_MS = 10 * 1000;

  const DEFAULTS = Object.freeze({
    enabled: true,
    catchIncognito: false,
    minSizeMB: 0,
    onlyTypes: '',
    neverTypes: '',
    neverSites: '',
    modifier: 'alt',
    timeoutSeconds: 10,
  });

  // Firefox on Linux does nothing with an Alt+click on a link (Alt belongs to its menu bar),
  // so a bypass key of Alt would also stop the download the user asked the browser for.
  // Shift+click opens the link in a new window there, and the download goes on.
  const BROWSER_DEFAULTS = Object.freeze({ firefox: Object.freeze({ modifier: 'shift' }) });

  const MODIFIERS = ['alt', 'shift', 'ctrl', 'none'];

  function withDefaults(stored, browser) {
    const s = Object.assign({}, DEFAULTS, BROWSER_DEFAULTS[browser] || {}, stored || {});
    s.enabled = s.enabled !== false;
    s.catchIncognito = s.catchIncognito === true;
    s.minSizeMB = Number.isFinite(Number(s.minSizeMB)) && Number(s.minSizeMB) > 0 ? Number(s.minSizeMB) : 0;
    // Never below 10 s: Ferry's helper gives up after 7 s (starting Ferry included), and an
    // answer that came after the browser took the download back would make two downloads.
    s.timeoutSeconds = Number(s.timeoutSeconds) >= 10 ? Math.min(Number(s.timeoutSeconds), 120) : DEFAULTS.timeoutSeconds;
    if (!MODIFIERS.includes(s.modifier))
      s.modifier = (BROWSER_DEFAULTS[browser] || DEFAULTS).modifier;
    for (const key of ['onlyTypes', 'neverTypes', 'neverSites'])
      s[key] = typeof s[key] === 'string' ? s[key] : '';
    return s;
  }

  // "zip, .ISO  *.tar.gz" → ["zip", "iso", "tar.gz"]
  function parseTypes(text) {
    return String(text || '')
      .split(/[\s,;]+/)
      .map((t) => t.trim().toLowerCase().replace(/^\*?\.+/, ''))
      .filter((t) => t.length > 0);
  }

  // One host per line; people paste whole addresses or "*.example.com", so both are reduced
  // to the host name.
  function parseSites(text) {
    const hosts = [];
    for (let entry of String(text || '').split(/[\s,;]+/)) {
      entry = entry.trim().toLowerCase();
      if (!entry)
        continue;
      if (entry.includes('://')) {
        try {
          entry = new URL(entry).hostname;
        } catch (e) {
          continue;
        }
      }
      entry = entry.replace(/^\*?\.+/, '').replace(/[/:].*$/, '').replace(/\.$/, '');
      if (entry)
        hosts.push(entry);
    }
    return hosts;
  }

  function parseUrl(text) {
    try {
      return new URL(text);
    } catch (e) {
      return null;
    }
  }

  function hostOf(text) {
    const u = parseUrl(text);
    return u ? u.hostname.toLowerCase().replace(/\.$/, '') : '';
  }

  function hostMatches(host, site) {
    return host === site || host.endsWith('.' + site);
  }

  // The fragment never reaches the server, so a link "file.zip#top" and the download
  // "file.zip" are the same request.
  function sameResource(a, b) {
    if (!a || !b)
      return false;
    return String(a).split('#')[0] === String(b).split('#')[0];
  }

  function basename(path) {
    const parts = String(path || '').split(/[/\\]/);
    return parts[parts.length - 1] || '';
  }

  // The name the file will get: the browser's suggestion when it has one, else the last
  // segment of the address.
  function fileNameOf(download) {
    const fromBrowser = basename(download.filename);
    if (fromBrowser)
      return fromBrowser;
    const u = parseUrl(download.finalUrl || download.url);
    if (!u)
      return '';
    try {
      return decodeURIComponent(basename(u.pathname));
    } catch (e) {
      return basename(u.pathname);
    }
  }

  function hasType(name, types) {
    const lower = name.toLowerCase();
    return types.some((t) => lower.endsWith('.' + t));
  }

  function sizeOf(download) {
    for (const n of [download.totalBytes, download.fileSize]) {
      if (Number.isFinite(n) && n > 0)
        return n;
    }
    return -1;
  }

  function recent(entries, now, maxAge) {
    return (entries || []).filter((e) => e && now - e.time >= -1000 && now - e.time <= maxAge);
  }

  // decide(download, settings, context) → { capture: true } or { capture: false, reason }.
  // download: the fields of a downloads.DownloadItem (url, finalUrl, referrer, filename,
  //   mime, totalBytes, fileSize, incognito, byExtensionId).
  // context: { now, posts: [{url, time}], bypass: [{url, time}] }.
  // The order matters only for the reason shown: the cheapest, most certain reasons first.
  function decide(download, settings, context) {
    const s = withDefaults(settings);
    const ctx = context || {};
    const now = Number.isFinite(ctx.now) ? ctx.now : Date.now();
    const urls = [download.url, download.finalUrl].filter((u) => typeof u === 'string' && u);

    if (!s.enabled)
      return { capture: false, reason: 'disabled' };
    if (download.byExtensionId)
      return { capture: false, reason: 'extension' };
    if (urls.length === 0)
      return { capture: false, reason: 'scheme' };
    for (const u of urls) {
      const scheme = u.slice(0, u.indexOf(':') + 1).toLowerCase();
      // blob: and data: hold bytes that exist only inside this browser tab; another program
      // cannot fetch them again.
      if (scheme === 'blob:')
        return { capture: false, reason: 'blob' };
      if (scheme === 'data:')
        return { capture: false, reason: 'data' };
      if (scheme !== 'http:' && scheme !== 'https:')
        return { capture: false, reason: 'scheme' };
    }
    if (download.incognito && !s.catchIncognito)
      return { capture: false, reason: 'incognito' };

    // A POST answer cannot be fetched again with a GET: the server would see a different
    // request, or none it recognises.
    const posts = recent(ctx.posts, now, POST_MEMORY_MS);
    if (posts.some((p) => urls.some((u) => sameResource(p.url, u))))
      return { capture: false, reason: 'post' };

    // The clicked link is the download itself, or (when it led to a page that starts the
    // download, as mirror pickers do) the page the download names as its referrer. Other
    // downloads from the page the click was on are not affected.
    if (s.modifier !== 'none') {
      const clicks = recent(ctx.bypass, now, BYPASS_MEMORY_MS);
      const linked = urls.concat(download.referrer ? [download.referrer] : []);
      if (clicks.some((c) => linked.some((u) => sameResource(c.url, u))))
        return { capture: false, reason: 'modifier' };
    }

    const sites = parseSites(s.neverSites);
    if (sites.length > 0) {
      const hosts = urls.concat(download.referrer ? [download.referrer] : []).map(hostOf).filter(Boolean);
      if (hosts.some((h) => sites.some((site) => hostMatches(h, site))))
        return { capture: false, reason: 'site' };
    }

    const size = sizeOf(download);
    if (s.minSizeMB > 0 && size >= 0 && size < s.minSizeMB * 1024 * 1024)
      return { capture: false, reason: 'size' };

    const name = fileNameOf(download);
    const never = parseTypes(s.neverTypes);
    if (never.length > 0 && hasType(name, never))
      return { capture: false, reason: 'neverTypes' };
    const only = parseTypes(s.onlyTypes);
    if (only.length > 0 && !hasType(name, only))
      return { capture: false, reason: 'onlyTypes' };

    return { capture: true };
  }

  return {
    DEFAULTS,
    MODIFIERS,
    POST_MEMORY_MS,
    BYPASS_MEMORY_MS,
    withDefaults,
    parseTypes,
    parseSites,
    basename,
    fileNameOf,
    sizeOf,
    hostOf,
    sameResource,
    decide,
  };
})();

if (typeof module !== 'undefined' && module.exports)
  module.exports = FerryRules;
