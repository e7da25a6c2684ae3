// The toolbar popup: the switch, whether Ferry can be reached, and what happened to the
// last download.

/* global ext, FerrySettings, FerryNative, FerryStatus, ferryText, ferryLocalize, ferryShowHowTo */
'use strict';

const $ = (id) => document.getElementById(id);

function showEnabled(enabled) {
  $('enabled').checked = enabled;
  $('off-note').hidden = enabled;
}

async function showConnection() {
  const status = $('status');
  const hello = await FerryNative.hello();
  status.className = 'status ' + hello.state;
  $('howto').hidden = hello.state !== 'missing';
  if (hello.state === 'running')
    $('status-text').textContent = ferryText('statusRunning', [hello.version]);
  else if (hello.state === 'stopped')
    $('status-text').textContent = ferryText('statusStopped');
  else if (hello.state === 'missing')
    $('status-text').textContent = ferryText('statusMissing');
  else
    $('status-text').textContent = ferryText('statusError', [hello.error]);
}

function describe(last) {
  const name = last.name || ferryText('unnamed');
  if (last.result === 'captured')
    return ferryText('lastCaptured', [name]);
  if (last.result === 'left')
    return ferryText('lastLeft', [name, ext.i18n.getMessage('reason_' + last.reason) || last.reason]);
  const reason = ext.i18n.getMessage('reason_' + last.reason);
  return reason ? ferryText('lastLeft', [name, reason]) : ferryText('lastFailed', [name, last.error || '']);
}

async function showLast() {
  const last = await FerryStatus.last();
  if (!last)
    return;
  $('last-text').textContent = describe(last);
  $('last-time').textContent = new Date(last.time).toLocaleTimeString(ext.i18n.getUILanguage());
}

async function main() {
  ferryLocalize(document);
  ferryShowHowTo($('howto'));
  const settings = await FerrySettings.load();
  showEnabled(settings.enabled);
  $('enabled').addEventListener('change', async () => {
    const enabled = $('enabled').checked;
    await FerrySettings.save({ enabled });
    showEnabled(enabled);
  });
  $('options').addEventListener('click', (event) => {
    event.preventDefault();
    ext.runtime.openOptionsPage();
    window.close();
  });
  showLast();
  await showConnection();
}

main();
