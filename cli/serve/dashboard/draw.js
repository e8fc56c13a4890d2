// Drawing for the Standby dashboard: elements built from data (values always as text), durations
// and times for people, the freshness bars and the failover/drill timeline (SVG, each with a text
// alternative). No state: dashboard.js calls these with each snapshot.

const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS(SVG, tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/** Seconds for people: 4m 50s, 3h 0m, 2d 1h. */
export function fmt(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export const time = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');

export function freshnessTable(app, plan) {
  const W = 240;
  const scale = 1.5; // the bar's end is 150 % of the RPO, so a breach still shows how far past it is
  const x = (ratio) => Math.round((Math.min(ratio, scale) / scale) * W);
  const rows = app.freshness.map((f) => {
    const ratio = f.ageSeconds === null ? 0 : f.ageSeconds / f.rpoSeconds;
    const label = `${f.resource}: ${f.ageSeconds === null ? 'no restorable point' : `${fmt(f.ageSeconds)} old`}, RPO ${fmt(f.rpoSeconds)}, ${f.status}`;
    const bar = h(
      'svg:svg',
      { width: W + 2, height: 16, role: 'img', 'aria-label': label, class: 'bar' },
      h('svg:rect', { x: 0, y: 2, width: W, height: 12, class: 'track' }),
      h('svg:rect', { x: 0, y: 2, width: x(ratio), height: 12, class: `fill ${f.status}` }),
      h('svg:line', { x1: x(plan.warnAt), x2: x(plan.warnAt), y1: 0, y2: 16, class: 'warn-line' }),
      h('svg:line', { x1: x(1), x2: x(1), y1: 0, y2: 16, class: 'rpo-line' }),
    );
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, f.resource),
      h('td', {}, bar),
      h('td', {}, f.ageSeconds === null ? '—' : fmt(f.ageSeconds), ' / ', fmt(f.rpoSeconds)),
      h('td', { class: f.status }, f.status),
    );
  });
  return h(
    'table',
    {},
    h(
      'caption',
      {},
      `Freshness: age of the newest restorable point against the RPO (dashed: warn at ${Math.round(plan.warnAt * 100)} %, solid: RPO)`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Resource'),
        h('th', { scope: 'col' }, 'Age against RPO'),
        h('th', { scope: 'col' }, 'Age / RPO'),
        h('th', { scope: 'col' }, 'Status'),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/** Failovers (their phase history) and drills, each a lane of steps along simulated time. */
export function timeline(app, evidence, drill, now) {
  const lanes = [];
  for (const f of [...app.earlierFailovers, ...(app.failover ? [app.failover] : [])])
    lanes.push({
      label: `failover ${f.id.slice(0, 8)}`,
      steps: f.history.map((s) => ({ phase: s.phase, at: s.at })),
    });
  for (const d of evidence?.drills ?? [])
    lanes.push({
      label: `drill ${d.drillId.slice(0, 8)}`,
      steps: [
        { phase: 'drill', at: d.startedAt },
        ...(d.endedAt ? [{ phase: d.outcome, at: d.endedAt }] : []),
      ],
    });
  if (drill && !lanes.some((l) => l.label === `drill ${drill.id.slice(0, 8)}`))
    lanes.push({
      label: `drill ${drill.id.slice(0, 8)}`,
      steps: [{ phase: drill.phase, at: drill.startedAt }],
    });
  if (lanes.length === 0) return h('p', { class: 'muted' }, 'No failover or drill yet.');
  const end = Date.parse(now);
  const start = Math.min(...lanes.flatMap((l) => l.steps.map((s) => Date.parse(s.at))));
  const span = Math.max(end - start, 60_000);
  const W = 560;
  const L = 130;
  const x = (iso) => L + Math.round(((Date.parse(iso) - start) / span) * (W - L - 4));
  const svg = h('svg:svg', {
    width: W,
    height: lanes.length * 24 + 18,
    role: 'img',
    'aria-label': `Timeline of ${app.name}: ${lanes.length} failover(s) and drill(s); listed below`,
  });
  lanes.forEach((lane, i) => {
    const y = i * 24 + 4;
    svg.append(h('svg:text', { x: 0, y: y + 13, class: 'lane-label' }, lane.label));
    lane.steps.forEach((s, j) => {
      const next = lane.steps[j + 1];
      const x1 = x(s.at);
      const x2 = next ? x(next.at) : Math.max(x1 + 3, x(now));
      svg.append(
        h(
          'svg:rect',
          { x: x1, y, width: Math.max(x2 - x1, 3), height: 16, class: `step ${s.phase}` },
          h('svg:title', {}, `${s.phase} from ${time(s.at)}`),
        ),
      );
    });
  });
  svg.append(
    h('svg:text', { x: L, y: lanes.length * 24 + 14, class: 'axis' }, time(new Date(start).toISOString())),
  );
  svg.append(
    h('svg:text', { x: W - 4, y: lanes.length * 24 + 14, class: 'axis', 'text-anchor': 'end' }, time(now)),
  );
  const list = h(
    'ol',
    { class: 'steps' },
    lanes.map((l) => h('li', {}, `${l.label}: `, l.steps.map((s) => `${s.phase} ${time(s.at)}`).join(' → '))),
  );
  return h('figure', {}, h('figcaption', {}, 'Failovers and drills over simulated time'), svg, list);
}
