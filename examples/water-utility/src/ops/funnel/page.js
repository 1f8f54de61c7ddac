// Draws the menu as columns by distance from the first screen, each screen with its reach and its drop-off.
const NODE_W = 190;
const NODE_H = 70;
const COL = 250;
const ROW = 90;
const SVG = 'http://www.w3.org/2000/svg';

const status = document.getElementById('status');
const form = document.getElementById('token-form');

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Columns by breadth-first distance from the start; screens it cannot reach go in a last column. */
function layout(view) {
  const depth = new Map([[view.start, 0]]);
  const queue = [view.start];
  while (queue.length > 0) {
    const from = queue.shift();
    for (const e of view.edges) {
      if (e.from === from && !depth.has(e.to)) {
        depth.set(e.to, depth.get(from) + 1);
        queue.push(e.to);
      }
    }
  }
  const last = Math.max(0, ...depth.values()) + 1;
  const columns = [];
  for (const s of view.screens) {
    const d = depth.get(s.screen) ?? last;
    if (!columns[d]) columns[d] = [];
    columns[d].push(s);
  }
  const at = new Map();
  columns.forEach((col, x) => {
    col?.forEach((s, y) => {
      at.set(s.screen, { x: 10 + x * COL, y: 10 + y * ROW });
    });
  });
  return at;
}

function draw(view) {
  const at = layout(view);
  const width = Math.max(...[...at.values()].map((p) => p.x)) + NODE_W + 20;
  const height = Math.max(...[...at.values()].map((p) => p.y)) + NODE_H + 20;
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const defs = el('defs');
  const marker = el('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto',
  });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8d9aa7' }));
  defs.append(marker);
  svg.append(defs);
  const seen = new Set();
  for (const e of view.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    const key = `${e.from}>${e.to}`;
    if (!a || !b || e.from === e.to || seen.has(key)) continue;
    seen.add(key);
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    svg.append(el('path', { class: 'edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` }));
  }
  for (const s of view.screens) {
    const p = at.get(s.screen);
    const lost = s.left + s.timedOut;
    const share = s.reached > 0 ? lost / s.reached : 0;
    const g = el('g', {
      class: `node${s.type === 'end' ? ' end' : ''}`,
      transform: `translate(${p.x},${p.y})`,
      'data-screen': s.screen,
      'data-reached': s.reached,
      'data-dropoff': lost,
    });
    g.append(el('rect', { class: 'box', width: NODE_W, height: NODE_H, rx: 8 }));
    g.append(el('text', { x: 10, y: 18 }, s.screen));
    g.append(el('text', { x: 10, y: 36, class: 'muted' }, `reached ${s.reached} · ended ${s.ended}`));
    g.append(
      el(
        'text',
        { x: 10, y: 52, class: 'dropoff' },
        `drop-off ${lost} (${Math.round(share * 100)}%): left ${s.left}, timed out ${s.timedOut}`,
      ),
    );
    g.append(el('rect', { class: 'bar-bg', x: 10, y: 58, width: NODE_W - 20, height: 4 }));
    g.append(el('rect', { class: 'bar', x: 10, y: 58, width: (NODE_W - 20) * share, height: 4 }));
    svg.append(g);
  }
  const box = document.getElementById('diagram');
  box.replaceChildren(svg);
}

async function load(token) {
  status.textContent = 'Loading…';
  const res = await fetch('/ops/funnel', { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 401) {
    sessionStorage.removeItem('opsToken');
    form.hidden = false;
    status.textContent = 'That token was refused.';
    return;
  }
  if (!res.ok) {
    status.textContent = `The funnel could not be loaded (HTTP ${res.status}).`;
    return;
  }
  const view = await res.json();
  draw(view);
  status.textContent = `Menu ${view.menu} version ${view.version}: counts since ${view.since}.`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  sessionStorage.setItem('opsToken', token);
  form.hidden = true;
  load(token);
});

// A token in the fragment never reaches the server's logs; it is moved to session storage and cleared.
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) {
  sessionStorage.setItem('opsToken', fromHash);
  history.replaceState(null, '', location.pathname);
}
const token = sessionStorage.getItem('opsToken');
if (token) load(token);
else form.hidden = false;
