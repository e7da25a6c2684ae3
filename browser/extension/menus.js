// The context menu commands. Unlike a captured download, these have no browser download to
// fall back on: when Ferry cannot be reached the user is told so.

/* exported FerryMenus */
/* global ext, FerryNative, FerryCookies, FerryCapture */
'use strict';

const FerryMenus = (() => {
  const MAX_LINKS = 20000;
  // The host accepts at most 1 MiB of cookies in one links message; stop adding origins
  // well before that rather than have the whole list refused.
  const MAX_COOKIE_BYTES = 900 * 1024;
  const HTTP_PATTERNS = ['http://*/*', 'https://*/*'];

  function t(name, substitutions) {
    return ext.i18n.getMessage(name, substitutions) || name;
  }

  function create(props) {
    // Chromium reports a duplicate id through lastError; read it so it is not logged.
    ext.contextMenus.create(props, () => void ext.runtime.lastError);
  }

  async function setup() {
    await ext.contextMenus.removeAll();
    create({ id: 'ferry-link', title: t('menuDownloadLink'), contexts: ['link'], targetUrlPatterns: HTTP_PATTERNS });
    create({ id: 'ferry-media', title: t('menuDownloadMedia'), contexts: ['video', 'audio'], targetUrlPatterns: HTTP_PATTERNS });
    create({ id: 'ferry-page', title: t('menuDownloadAll'), contexts: ['page'] });
    create({ id: 'ferry-selection', title: t('menuDownloadSelection'), contexts: ['selection'] });
  }

  function notify(title, message) {
    if (!ext.notifications)
      return;
    ext.notifications.create({
      type: 'basic',
      iconUrl: ext.runtime.getURL('icons/ferry-128.png'),
      title,
      message,
    }).catch(() => {});
  }

  function explain(err) {
    if (err.kind === 'missing')
      return t('notifyMissing');
    if (err.kind === 'timeout')
      return t('notifyTimeout');
    return t('notifyFailed', [err.message]);
  }

  // Runs inside the page (every frame asked): the links of the document or of the current
  // selection, absolute, without fragments. Must not use anything outside its own body.
  function collectLinks(selectionOnly, limit) {
    const selection = document.getSelection();
    const ranges = [];
    if (selectionOnly) {
      if (!selection || selection.isCollapsed)
        return [];
      for (let i = 0; i < selection.rangeCount; ++i)
        ranges.push(selection.getRangeAt(i));
    }
    const out = [];
    for (const el of document.querySelectorAll('a[href], area[href]')) {
      if (ranges.length > 0 && !ranges.some((r) => r.intersectsNode(el)))
        continue;
      let href = el.href;
      if (typeof href !== 'string') // SVG <a>: an animated string
        href = el.getAttribute('href') || '';
      let url;
      try {
        url = new URL(href, document.baseURI);
      } catch (e) {
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        continue;
      url.hash = '';
      let text = (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
      if (!text)
        text = (el.getAttribute('title') || el.getAttribute('alt') || (el.querySelector('img[alt]') || {}).alt || '').trim();
      out.push({ url: url.href, text: text.slice(0, 500) });
      if (out.length >= limit)
        break;
    }
    return out;
  }

  async function linksOf(tab, info, selectionOnly) {
    const target = { tabId: tab.id };
    // A selection lives in one frame; "all links" means every frame of the page.
    if (selectionOnly && Number.isInteger(info.frameId))
      target.frameIds = [info.frameId];
    else
      target.allFrames = true;
    const results = await ext.scripting.executeScript({
      target, func: collectLinks, args: [selectionOnly, MAX_LINKS],
    });
    const seen = new Set();
    const links = [];
    for (const frame of results || []) {
      for (const link of (frame && frame.result) || []) {
        if (seen.has(link.url))
          continue;
        seen.add(link.url);
        links.push(link);
        if (links.length >= MAX_LINKS)
          return links;
      }
    }
    return links;
  }

  // Keys like "https://example.com:443": the origin with its port spelled out.
  function originKey(u) {
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return u.protocol + '//' + u.hostname + ':' + port;
  }

  async function cookiesPerOrigin(links, incognito, page) {
    const origins = new Map();
    for (const link of links) {
      const u = new URL(link.url);
      const key = originKey(u);
      if (!origins.has(key))
        origins.set(key, u.origin + '/');
    }
    const map = {};
    let total = 0;
    for (const [key, url] of origins) {
      const header = await FerryCookies.header(url, { incognito, context: page });
      if (!header)
        continue;
      if (total + header.length > MAX_COOKIE_BYTES)
        break;
      total += header.length;
      map[key] = header;
    }
    return map;
  }

  async function sendDownload(url, page, tab) {
    const settings = await FerryCapture.currentSettings();
    const incognito = !!(tab && tab.incognito);
    const referrer = /^https?:/i.test(page || '') ? page : '';
    await FerryNative.send({
      type: 'download',
      url,
      referrer,
      userAgent: navigator.userAgent,
      cookies: await FerryCookies.header(url, { incognito, cookieStoreId: tab && tab.cookieStoreId, context: referrer }),
      filename: '',
      size: -1,
      mime: '',
      incognito,
    }, settings.timeoutSeconds * 1000);
  }

  async function sendLinks(tab, info, selectionOnly) {
    if (!tab || !Number.isInteger(tab.id) || tab.id < 0) {
      notify(t('notifyTitle'), t('notifyCannotRead'));
      return;
    }
    let links;
    try {
      links = await linksOf(tab, info, selectionOnly);
    } catch (e) {
      // Pages the browser protects (its own pages, the add-on stores) refuse scripts.
      notify(t('notifyTitle'), t('notifyCannotRead'));
      return;
    }
    if (links.length === 0) {
      notify(t('notifyTitle'), t(selectionOnly ? 'notifyNoLinksSelection' : 'notifyNoLinks'));
      return;
    }
    const settings = await FerryCapture.currentSettings();
    const page = /^https?:/i.test(info.pageUrl || tab.url || '') ? (info.pageUrl || tab.url) : '';
    const incognito = !!tab.incognito;
    await FerryNative.send({
      type: 'links',
      page,
      userAgent: navigator.userAgent,
      links,
      cookies: await cookiesPerOrigin(links, incognito, page),
      incognito,
    }, settings.timeoutSeconds * 1000);
  }

  async function onClicked(info, tab) {
    try {
      if (info.menuItemId === 'ferry-link')
        await sendDownload(info.linkUrl, info.frameUrl || info.pageUrl, tab);
      else if (info.menuItemId === 'ferry-media')
        await sendDownload(info.srcUrl, info.frameUrl || info.pageUrl, tab);
      else if (info.menuItemId === 'ferry-page')
        await sendLinks(tab, info, false);
      else if (info.menuItemId === 'ferry-selection')
        await sendLinks(tab, info, true);
    } catch (err) {
      notify(t('notifyTitle'), explain(err));
    }
  }

  function install() {
    ext.contextMenus.onClicked.addListener((info, tab) => { onClicked(info, tab); });
    ext.runtime.onInstalled.addListener(() => { setup().catch(() => {}); });
    ext.runtime.onStartup.addListener(() => { setup().catch(() => {}); });
  }

  // onClicked is exposed so a test can run a menu command without a real right click.
  return { install, collectLinks, onClicked };
})();
