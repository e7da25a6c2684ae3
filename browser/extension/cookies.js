// The Cookie header the browser itself would send for an address, so that Ferry's request
// looks like the browser's: sites behind a login otherwise answer with their login page, and
// the "download" turns into a small HTML file.
//
// The header only ever travels in the native message; it is not stored anywhere.

/* exported FerryCookies */
/* global ext, FERRY_BROWSER, FerryRules */
'use strict';

const FerryCookies = (() => {
  // Firefox keeps private windows' cookies in a store of their own; Chromium's incognito
  // store is "1". A container tab in Firefox names its store on the download itself.
  function storeFor(incognito, cookieStoreId) {
    if (cookieStoreId)
      return cookieStoreId;
    if (!incognito)
      return undefined;
    return FERRY_BROWSER === 'firefox' ? 'firefox-private' : '1';
  }

  // With Firefox's first-party isolation or Total Cookie Protection, a plain getAll({url})
  // misses cookies kept under a first-party domain or a partition. Asking for all of them
  // and then keeping only those of the site the download came from is what the browser's
  // own request would have carried. Older versions reject the unknown keys; ask again
  // without them.
  async function fetchAll(url, storeId) {
    const query = { url };
    if (storeId)
      query.storeId = storeId;
    if (FERRY_BROWSER === 'firefox') {
      try {
        return await ext.cookies.getAll(Object.assign({ firstPartyDomain: null, partitionKey: {} }, query));
      } catch (e) {
        try {
          return await ext.cookies.getAll(Object.assign({ firstPartyDomain: null }, query));
        } catch (e2) {
          // fall through to the plain query
        }
      }
    }
    return ext.cookies.getAll(query);
  }

  function belongsTo(cookie, site) {
    const sameSite = (value) => {
      if (!value)
        return true;
      const host = value.includes('://') ? FerryRules.hostOf(value) : String(value).toLowerCase();
      return !!site && (site === host || site.endsWith('.' + host));
    };
    if (cookie.firstPartyDomain && !sameSite(cookie.firstPartyDomain))
      return false;
    if (cookie.partitionKey && cookie.partitionKey.topLevelSite && !sameSite(cookie.partitionKey.topLevelSite))
      return false;
    return true;
  }

  // header(url, { incognito, cookieStoreId, context }) → "a=1; b=2" or "".
  // context: the page the request is made from (the referrer), which decides which
  // partition's cookies apply; without one the address itself is the top-level site.
  async function header(url, options) {
    const opts = options || {};
    if (!/^https?:/i.test(url || ''))
      return '';
    let cookies;
    try {
      cookies = await fetchAll(url, storeFor(opts.incognito, opts.cookieStoreId));
    } catch (e) {
      return '';
    }
    const site = FerryRules.hostOf(opts.context || url) || FerryRules.hostOf(url);
    // A download reached from another site gets no SameSite=Strict cookies from the browser
    // either (a link from one site to another is a cross-site navigation).
    const target = FerryRules.hostOf(url);
    const related = (a, b) => !!a && !!b && (a === b || a.endsWith('.' + b) || b.endsWith('.' + a));
    const crossSite = !related(site, target);
    const kept = (cookies || []).filter((c) => belongsTo(c, site) && !(crossSite && c.sameSite === 'strict'));
    // Browsers put the cookies with the longer, more specific path first (RFC 6265 5.4);
    // sort() is stable, so equal paths keep the order the store gave them.
    kept.sort((a, b) => (b.path || '').length - (a.path || '').length);
    const seen = new Set();
    const parts = [];
    for (const c of kept) {
      const pair = c.name ? c.name + '=' + c.value : c.value;
      // The same cookie can come back once per partition query; send it once.
      const key = c.name + '\u0000' + c.domain + '\u0000' + c.path + '\u0000' + c.value;
      if (seen.has(key))
        continue;
      seen.add(key);
      parts.push(pair);
    }
    return parts.join('; ');
  }

  return { header, storeFor };
})();
