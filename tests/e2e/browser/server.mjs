// The web site the browser journeys visit, on 127.0.0.1: pages with links to files, a login that
// sets an HttpOnly session cookie, a file that needs its page as Referer, a form that answers a
// POST with a download, a page that saves a blob, twenty links, and a signed link whose signature
// can be revoked while a download runs. Every request is logged (without cookie values) so the
// journeys can tell who asked for which bytes.
//
//   node server.mjs --port PORT --files DIR
// DIR holds the files served under /files/, /private/, /needs-referer/ and /signed/.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, basename } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const port = Number(args.port);
const filesDir = args.files;
const origin = `http://127.0.0.1:${port}`;

const session = `s-${randomBytes(12).toString('hex')}`;
let signature = randomBytes(8).toString('hex');
const signedRate = sharedRate(1536 * 1024); // for all signed downloads together: time to act mid-download
const log = [];
const signedSockets = new Set();

const page = (title, body) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

function sendPage(res, title, body, headers = {}) {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(page(title, body));
}

function cookieValue(req, name) {
  for (const part of (req.headers.cookie || '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

// One file with ETag, Last-Modified and a single byte range, as a download server answers.
function sendFile(req, res, entry, name, { rate, onSocket } = {}) {
  let stat;
  try {
    stat = statSync(join(filesDir, name));
  } catch {
    entry.status = 404;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return res.end('no such file\n');
  }
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${basename(name)}"`,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': stat.mtime.toUTCString(),
  };
  let start = 0;
  let end = stat.size - 1;
  let status = 200;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
  const ifRange = req.headers['if-range'];
  if (range && (!ifRange || ifRange === etag)) {
    if (range[1] !== '') start = Number(range[1]);
    if (range[2] !== '') end = Math.min(Number(range[2]), stat.size - 1);
    if (range[1] === '' && range[2] !== '') {
      start = Math.max(0, stat.size - Number(range[2]));
      end = stat.size - 1;
    }
    if (start > end || start >= stat.size) {
      entry.status = 416;
      res.writeHead(416, { 'Content-Range': `bytes */${stat.size}` });
      return res.end();
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${stat.size}`;
  }
  headers['Content-Length'] = end - start + 1;
  entry.status = status;
  entry.range = status === 206 ? `${start}-${end}` : '';
  entry.start = start;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') return res.end();
  onSocket?.(res.socket);
  const stream = createReadStream(join(filesDir, name), { start, end, highWaterMark: 16 * 1024 });
  res.on('close', () => stream.destroy());
  (async () => {
    try {
      for await (const chunk of stream) {
        if (rate) await rate.take(chunk.length);
        if (res.destroyed) return;
        entry.sent += chunk.length;
        if (!res.write(chunk))
          await new Promise((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
      }
      res.end();
    } catch {
      res.destroy();
    }
  })();
}

// One rate for every response it is given to, however many connections ask at once.
function sharedRate(bytesPerSecond) {
  let next = Date.now();
  return {
    take(bytes) {
      const now = Date.now();
      next = Math.max(next, now) + (bytes / bytesPerSecond) * 1000;
      return new Promise((resolve) => setTimeout(resolve, next - now - (bytes / bytesPerSecond) * 1000));
    },
  };
}

const server = createServer((req, res) => {
  const url = new URL(req.url, origin);
  const entry = {
    method: req.method,
    path: url.pathname,
    signed: url.searchParams.get('sig') ?? undefined,
    range: '',
    status: 0,
    sent: 0,
    hasCookie: cookieValue(req, 'session') === session,
    referer: req.headers.referer || '',
    userAgent: req.headers['user-agent'] || '',
  };
  if (!url.pathname.startsWith('/admin/')) log.push(entry);
  const path = url.pathname;

  if (path === '/admin/log') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify(log));
  }
  if (path === '/admin/rotate') {
    // The old signature is refused from now on, and downloads with it are cut off, as a CDN
    // does when a signed link expires.
    signature = randomBytes(8).toString('hex');
    for (const socket of signedSockets) socket.destroy();
    signedSockets.clear();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ signature }));
  }
  if (path === '/' || path === '/index.html')
    return sendPage(res, 'Ferry test site', '<p>Pages for the browser journeys.</p>');
  if (path === '/plain.html')
    return sendPage(res, 'Plain link', '<a id="plain" href="/files/plain.bin">plain.bin</a> <a id="fallback" href="/files/fallback.bin">fallback.bin</a> <a id="firefox" href="/files/firefox.bin">firefox.bin</a>');
  if (path === '/login') {
    // ?file= names the protected file the page links to, so that each browser fetches its own.
    const file = basename(url.searchParams.get('file') || 'secret.bin');
    return sendPage(res, 'Signed in', `<a id="private" href="/private/${file}">${file}</a>`, {
      'Set-Cookie': `session=${session}; HttpOnly; Path=/; SameSite=Lax`,
    });
  }
  if (path === '/referer.html')
    return sendPage(res, 'Referer', '<a id="ref" href="/needs-referer/ref.bin">ref.bin</a>');
  if (path === '/form.html')
    return sendPage(res, 'Form', '<form method="POST" action="/post-download"><input type="hidden" name="what" value="report"><button id="post" type="submit">Get the report</button></form>');
  if (path === '/blob.html')
    return sendPage(
      res,
      'Blob',
      `<button id="blob">Save</button><script>
document.getElementById('blob').addEventListener('click', () => {
  const bytes = new Uint8Array(200000);
  for (let i = 0; i < bytes.length; ++i) bytes[i] = (i * 31 + 7) & 0xff;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = 'made-here.bin';
  document.body.appendChild(a);
  a.click();
});
</script>`,
    );
  if (path === '/links.html') {
    let links = '';
    for (let i = 1; i <= 20; ++i) {
      const n = String(i).padStart(2, '0');
      links += `<li><a href="/files/link-${n}.zip">Archive ${n}</a></li>`;
    }
    links += '<li><a href="/index.html">Home</a></li><li><a href="mailto:someone@example.org">Mail</a></li><li><a href="javascript:void(0)">Nothing</a></li>';
    return sendPage(res, 'Twenty archives', `<ul>${links}</ul>`);
  }
  if (path === '/signed.html')
    return sendPage(res, 'Signed link', `<a id="signed" href="/signed/big.bin?sig=${signature}&amp;expires=60">big.bin</a>`);

  if (path === '/post-download') {
    if (req.method !== 'POST') {
      entry.status = 405;
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' });
      return res.end('POST only\n');
    }
    req.resume();
    return req.on('end', () => sendFile(req, res, entry, 'report.bin'));
  }
  // Firefox's capture pauses a download that has already begun, and a file that finished
  // before the pause stays with the browser: the files meant for Firefox come at a pace a
  // real server on the internet would have.
  const pace = (name) => (name.includes('firefox') || name.includes('slow') ? { rate: sharedRate(1024 * 1024) } : {});
  if (path.startsWith('/files/')) return sendFile(req, res, entry, basename(path), pace(path));
  if (path.startsWith('/private/')) {
    if (!entry.hasCookie) {
      entry.status = 403;
      res.writeHead(403, { 'Content-Type': 'text/html' });
      return res.end(page('Forbidden', 'Please sign in.'));
    }
    return sendFile(req, res, entry, basename(path), pace(path));
  }
  if (path.startsWith('/needs-referer/')) {
    if (entry.referer !== `${origin}/referer.html`) {
      entry.status = 403;
      res.writeHead(403, { 'Content-Type': 'text/html' });
      return res.end(page('Forbidden', 'Links to this file work from its page only.'));
    }
    return sendFile(req, res, entry, basename(path));
  }
  if (path.startsWith('/signed/')) {
    if (entry.signed !== signature) {
      entry.status = 403;
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      return res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    }
    return sendFile(req, res, entry, basename(path), {
      rate: signedRate,
      onSocket: (socket) => {
        signedSockets.add(socket);
        socket.once('close', () => signedSockets.delete(socket));
      },
    });
  }
  entry.status = 404;
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found\n');
});

server.keepAliveTimeout = 1000;
server.listen(port, '127.0.0.1', () => console.log(`listening on ${origin}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
