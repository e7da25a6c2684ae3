// Taking a browser download over: hold it, ask Ferry, and only when Ferry has said yes make
// the browser forget it. Until that yes the browser's download is the real one, so a Ferry
// that is not installed, not answering or refusing costs the user nothing but a short delay.

/* exported FerryCapture */
/* global ext, FERRY_BROWSER, FerryRules, FerrySettings, FerryNative, FerryStatus, FerryCookies */
'use strict';

const FerryCapture = (() => {
  // What pages did recently: POST navigations and clicks with the bypass key held. Kept in
  // memory and mirrored to storage.session, because a Chromium service worker may be stopped
  // between the click and the download it causes. Addresses only, never cookies.
  const recent = { posts: [], bypass: [] };
  let settings = FerryRules.withDefaults({}, FERRY_BROWSER);

  async function loadState() {
    settings = await FerrySettings.load();
    if (ext.storage.session) {
      const got = await ext.storage.session.get('recent').catch(() => ({}));
      if (got.recent) {
        recent.posts = (got.recent.posts || []).concat(recent.posts);
        recent.bypass = (got.recent.bypass || []).concat(recent.bypass);
      }
    }
  }
  let ready = loadState().catch(() => {});

  ext.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && FerrySettings.keys.some((k) => k in changes))
      ready = ready.then(() => FerrySettings.load()).then((s) => { settings = s; }).catch(() => {});
  });

  function remember(list, entry, maxAge) {
    const now = Date.now();
    const kept = recent[list].filter((e) => now - e.time <= maxAge);
    kept.push(Object.assign({ time: now }, entry));
    // A page that posts in a loop must not grow this without bound.
    recent[list] = kept.slice(-200);
    if (ext.storage.session)
      ext.storage.session.set({ recent: { posts: recent.posts, bypass: recent.bypass } }).catch(() => {});
  }

  // Every page load of the last minute, whatever its method, in memory only: in Firefox the
  // download's own event can overtake the request's, and a POST noted a moment too late
  // would be replayed as a GET.
  let navigations = [];
  function noteNavigation(url) {
    const now = Date.now();
    navigations = navigations.filter((n) => now - n.time <= FerryRules.POST_MEMORY_MS).slice(-200);
    navigations.push({ url, time: now });
  }

  // Waits (briefly) until the request that made this download has been seen, so that what is
  // known about it (a POST above all) is known before the download is judged.
  async function settle(item) {
    const urls = [item.url, item.finalUrl].filter(Boolean);
    const seen = () => navigations.some((n) => urls.some((u) => FerryRules.sameResource(n.url, u)));
    for (let waited = 0; waited < SETTLE_MS && !seen(); waited += 25)
      await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const SETTLE_MS = 3000; // only when the request was not seen: downloads made by scripts

  function notePost(url) {
    remember('posts', { url }, FerryRules.POST_MEMORY_MS);
  }

  async function noteClick(message) {
    await ready;
    const held = { alt: message.alt, shift: message.shift, ctrl: message.ctrl };
    if (settings.modifier === 'none' || !held[settings.modifier])
      return;
    if (typeof message.url !== 'string' || !message.url)
      return;
    remember('bypass', { url: message.url }, FerryRules.BYPASS_MEMORY_MS);
  }

  function currentSettings() {
    return ready.then(() => settings);
  }

  function judge(item) {
    return FerryRules.decide(item, settings, { now: Date.now(), posts: recent.posts, bypass: recent.bypass });
  }

  async function noteLeft(verdict, item) {
    // Switched off or started by an extension: nothing the user would want reported.
    if (verdict.reason !== 'disabled' && verdict.reason !== 'extension')
      await FerryStatus.record({ result: 'left', reason: verdict.reason, name: FerryRules.fileNameOf(item) });
  }

  // → true when Ferry took the download, false when the browser keeps it.
  async function offer(item) {
    await ready;
    const verdict = judge(item);
    if (!verdict.capture) {
      await noteLeft(verdict, item);
      return false;
    }
    const name = FerryRules.fileNameOf(item);
    const url = item.finalUrl || item.url;
    const message = {
      type: 'download',
      url,
      referrer: /^https?:/i.test(item.referrer || '') ? item.referrer : '',
      userAgent: navigator.userAgent,
      cookies: await FerryCookies.header(url, {
        incognito: !!item.incognito, cookieStoreId: item.cookieStoreId, context: item.referrer,
      }),
      filename: FerryRules.basename(item.filename),
      size: FerryRules.sizeOf(item),
      mime: typeof item.mime === 'string' ? item.mime : '',
      incognito: !!item.incognito,
    };
    try {
      await FerryNative.send(message, settings.timeoutSeconds * 1000);
    } catch (err) {
      await FerryStatus.record({ result: 'failed', reason: err.kind || 'failed', error: err.message, name });
      return false;
    }
    await FerryStatus.record({ result: 'captured', name });
    return true;
  }

  // Removes a download Ferry has taken from the browser, list entry included, so it is not
  // shown twice.
  async function forget(id) {
    try {
      await ext.downloads.cancel(id);
    } catch (e) {
      // Already finished or gone; erasing below still clears the list.
    }

    try {
      await ext.downloads.erase({ id });
    } catch (e) {
      // Nothing left to erase.
    }
  }

  // Chromium: onDeterminingFilename keeps the download waiting (its bytes already flowing to
  // a temporary file) until suggest() is called, which is exactly the hold needed. The
  // listener answers true to say suggest() comes later.
  function onDeterminingFilename(item, suggest) {
    let suggested = false;
    const proceed = () => {
      if (suggested)
        return;
      suggested = true;
      try {
        suggest();
      } catch (e) {
        // The download is gone already.
      }
    };
    offer(item).then(async (taken) => {
      if (!taken) {
        proceed();
        return;
      }
      // Cancel before suggest(): a suggestion would let the download reach its target
      // name, and with "Ask where to save" it would open the save dialog first.
      await forget(item.id);
      proceed();
    }, proceed);
    return true;
  }

  // Firefox has no filename hook: the download is already running when onCreated arrives,
  // so it is paused while Ferry is asked and resumed if Ferry does not take it. The rules are
  // checked first, without pausing, so a download that stays in the browser (a POST answer
  // above all, which may not survive a pause) is never touched.
  async function onCreated(item) {
    if (item.state && item.state !== 'in_progress')
      return;
    await ready;
    await settle(item);
    const verdict = judge(item);
    if (!verdict.capture) {
      await noteLeft(verdict, item);
      return;
    }
    try {
      await ext.downloads.pause(item.id);
    } catch (e) {
      // Finished already or not pausable: the browser keeps it.
      await FerryStatus.record({ result: 'left', reason: 'unpausable', name: FerryRules.fileNameOf(item) });
      return;
    }
    // At creation Firefox often does not know the size or type yet; by now the response
    // headers have usually arrived, and the size limit can apply.
    let current = item;
    try {
      const [fresh] = await ext.downloads.search({ id: item.id });
      if (fresh)
        current = Object.assign({}, item, fresh);
    } catch (e) {
      // Keep what onCreated said.
    }
    // A small file can finish before the pause takes hold: the browser has it then, whole,
    // and handing it to Ferry as well would only make a second copy.
    if (current.state === 'complete') {
      await FerryStatus.record({ result: 'left', reason: 'unpausable', name: FerryRules.fileNameOf(item) });
      return;
    }
    let taken = false;
    try {
      taken = await offer(current);
    } catch (e) {
      taken = false;
    }
    if (taken) {
      await forget(item.id);
      return;
    }
    try {
      await ext.downloads.resume(item.id);
    } catch (e) {
      // The user may have resumed or cancelled it meanwhile.
    }
  }

  function install() {
    if (FERRY_BROWSER === 'chromium' && ext.downloads.onDeterminingFilename)
      ext.downloads.onDeterminingFilename.addListener(onDeterminingFilename);
    else
      ext.downloads.onCreated.addListener((item) => { onCreated(item).catch(() => {}); });

    ext.webRequest.onBeforeRequest.addListener((details) => {
      noteNavigation(details.url);
      if (details.method === 'POST')
        notePost(details.url);
    }, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame', 'sub_frame'] });
  }

  return { install, noteClick, currentSettings };
})();
