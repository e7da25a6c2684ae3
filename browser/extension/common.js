// What the background, the popup and the options page share: the browser's extension API,
// the settings, and the one way of talking to Ferry's native messaging host.
//
// Chromium exposes `chrome` (promise-returning in Manifest V3), Firefox exposes `browser`
// (and a `chrome` alias); both answer promises, so the code below never passes callbacks.

/* exported ext, FERRY_BROWSER, FerrySettings, FerryNative, FerryStatus */
/* global FerryRules */
'use strict';

const ext = globalThis.browser || globalThis.chrome;

const FERRY_BROWSER = ext.runtime.getURL('').startsWith('moz-extension:') ? 'firefox' : 'chromium';

const FerrySettings = {
  keys: Object.keys(FerryRules.DEFAULTS),

  async load() {
    const stored = await ext.storage.local.get(this.keys);
    return FerryRules.withDefaults(stored, FERRY_BROWSER);
  },

  async save(changes) {
    await ext.storage.local.set(changes);
  },
};

const FerryNative = {
  HOST: 'io.github.ferry.host',

  // Sends one message and waits for the one answer. Rejects with an Error whose `kind` is
  // "missing" (no host manifest: ferry-browser-host is not installed or not registered),
  // "timeout", "refused" (the host answered ok:false) or "failed" (anything else: the host
  // crashed, was forbidden, answered garbage).
  async send(message, timeoutMs) {
    const full = Object.assign({
      browser: FERRY_BROWSER,
      extensionVersion: ext.runtime.getManifest().version,
    }, message);
    let timer = null;
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => {
        const e = new Error('Ferry did not answer within ' + Math.round(timeoutMs / 1000) + ' s.');
        e.kind = 'timeout';
        reject(e);
      }, timeoutMs);
    });
    let answer;
    try {
      answer = await Promise.race([ext.runtime.sendNativeMessage(this.HOST, full), timeout]);
    } catch (err) {
      if (err && err.kind)
        throw err;
      const text = String((err && err.message) || err || '');
      const e = new Error(text || 'The native messaging host failed.');
      // Chromium: "Specified native messaging host not found."
      // Firefox: "No such native application io.github.ferry.host"
      e.kind = /not found|no such native application/i.test(text) ? 'missing' : 'failed';
      throw e;
    } finally {
      clearTimeout(timer);
    }
    if (!answer || typeof answer !== 'object') {
      const e = new Error('The native messaging host gave no answer.');
      e.kind = 'failed';
      throw e;
    }
    if (answer.ok !== true) {
      const e = new Error(typeof answer.error === 'string' && answer.error ? answer.error : 'Ferry refused the request.');
      e.kind = 'refused';
      throw e;
    }
    return answer;
  },

  // → { state: "running" | "stopped" | "missing" | "error", version, error }
  async hello(timeoutMs) {
    try {
      const answer = await this.send({ type: 'hello' }, timeoutMs || 5000);
      return {
        state: answer.running ? 'running' : 'stopped',
        version: typeof answer.ferryVersion === 'string' ? answer.ferryVersion : '',
        error: '',
      };
    } catch (err) {
      return { state: err.kind === 'missing' ? 'missing' : 'error', version: '', error: err.message };
    }
  },
};

// The last thing that happened, for the popup. storage.session lives in memory only and is
// gone when the browser closes; no cookies are ever put there.
const FerryStatus = {
  area() {
    return ext.storage.session || null;
  },

  async record(entry) {
    const area = this.area();
    const value = Object.assign({ time: Date.now() }, entry);
    if (area)
      await area.set({ lastCapture: value }).catch(() => {});
    else
      globalThis.ferryLastCapture = value;
  },

  async last() {
    const area = this.area();
    if (!area)
      return globalThis.ferryLastCapture || null;
    const got = await area.get('lastCapture').catch(() => ({}));
    return got.lastCapture || null;
  },
};
