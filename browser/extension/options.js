// The options page. Every control saves as soon as it changes; there is no Save button to
// forget.

/* global ext, FERRY_BROWSER, FerryRules, FerrySettings, FerryNative, ferryText, ferryLocalize, ferryShowHowTo */
'use strict';

const $ = (id) => document.getElementById(id);
const ALL_SITES = { origins: ['<all_urls>'] };

const checkboxes = ['enabled', 'catchIncognito'];
const fields = ['modifier', 'minSizeMB', 'onlyTypes', 'neverTypes', 'neverSites', 'timeoutSeconds'];

let savedTimer = null;
function flashSaved() {
  $('saved').hidden = false;
  clearTimeout(savedTimer);
  savedTimer = setTimeout(() => { $('saved').hidden = true; }, 1500);
}

function fill(settings) {
  for (const id of checkboxes)
    $(id).checked = settings[id];
  for (const id of fields) {
    if (document.activeElement !== $(id))
      $(id).value = settings[id];
  }
}

function read(id) {
  const el = $(id);
  if (el.type === 'checkbox')
    return el.checked;
  if (el.type === 'number') {
    const n = Number(el.value);
    return Number.isFinite(n) ? n : FerryRules.DEFAULTS[id];
  }
  return el.value;
}

async function save(id) {
  const value = read(id);
  // Stored through withDefaults so a value out of range is stored (and shown) corrected.
  const settings = FerryRules.withDefaults(Object.assign(await FerrySettings.load(), { [id]: value }), FERRY_BROWSER);
  await FerrySettings.save({ [id]: settings[id] });
  flashSaved();
}

async function testConnection() {
  const box = $('test-result');
  box.hidden = false;
  box.className = 'status checking';
  $('test-text').textContent = ferryText('statusChecking');
  $('test-howto').hidden = true;
  const hello = await FerryNative.hello();
  box.className = 'status ' + hello.state;
  $('test-howto').hidden = hello.state !== 'missing';
  const texts = {
    running: () => ferryText('statusRunning', [hello.version]),
    stopped: () => ferryText('statusStopped'),
    missing: () => ferryText('statusMissing'),
    error: () => ferryText('statusError', [hello.error]),
  };
  $('test-text').textContent = texts[hello.state]();
}

// Firefox lets the user take back host access after installing; without it no cookies can
// be read and the scripts that collect links cannot run.
async function checkAccess() {
  if (!ext.permissions || !ext.permissions.contains)
    return;
  const granted = await ext.permissions.contains(ALL_SITES).catch(() => true);
  $('access').hidden = granted;
}

async function main() {
  ferryLocalize(document);
  ferryShowHowTo($('test-howto'));
  $('footer').textContent = ferryText('optionsFooter', [ext.runtime.getManifest().version]);
  fill(await FerrySettings.load());
  for (const id of checkboxes.concat(['modifier']))
    $(id).addEventListener('change', () => save(id));
  for (const id of ['minSizeMB', 'onlyTypes', 'neverTypes', 'neverSites', 'timeoutSeconds'])
    $(id).addEventListener('change', () => save(id));
  // The popup's switch and another open options tab change the same settings.
  ext.storage.onChanged.addListener(async (changes, area) => {
    if (area === 'local')
      fill(await FerrySettings.load());
  });
  $('test').addEventListener('click', testConnection);
  $('grant').addEventListener('click', async () => {
    await ext.permissions.request(ALL_SITES).catch(() => false);
    checkAccess();
  });
  checkAccess();
}

main();
