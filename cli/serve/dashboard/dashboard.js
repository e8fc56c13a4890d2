// The Standby dashboard: draws the snapshots `GET /api/stream` pushes (status, evidence, drills in
// flight), and sends the controls as JSON POSTs and approvals through the approval pages' form POST.
// Plain DOM, no framework; every value goes in as text, never as markup. Each application's card is
// built once and then updated in place, so keyboard focus stays where it is while the data moves.

import { fmt, freshnessTable, h, time, timeline } from './draw.js';

const cards = new Map();
let first = true;
/** The simulated time of the last snapshot: a control's result line says when it was done. */
let simNow = null;

function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  // A fresh text node makes screen readers read the message even when it repeats.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

/** Approve or reject through the approval page's POST: the signed token, as the e-mail link would. */
async function decide(action, token, comment) {
  const name = document.getElementById('approver').value.trim();
  const form = new URLSearchParams({ t: token, name, comment });
  const response = await fetch(`/${action}`, { method: 'POST', body: form });
  // The page is the approval endpoint's own HTML: its heading and first paragraph say what happened.
  // Read as text, not parsed into a document, so none of its markup or style is ever applied here.
  const page = await response.text();
  const said = [/<h1>([\s\S]*?)<\/h1>/, /<p class="(?:done|refused)">([\s\S]*?)<\/p>/]
    .map((pattern) => pattern.exec(page)?.[1])
    .filter(Boolean)
    .map(plainText)
    .join(': ');
  return { ok: response.ok, text: said || `${action}: HTTP ${response.status}` };
}

/** Text of an HTML fragment the approval pages escaped: tags dropped, numeric entities decoded. */
function plainText(fragment) {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .trim();
}

function card(plan) {
  const name = plan.name;
  const result = h('output', { class: 'result', 'aria-live': 'polite', for: `outage-${name}` });
  const report = (text, ok) => {
    result.textContent = simNow ? `At ${time(simNow)}: ${text}` : text;
    result.className = `result ${ok ? 'ok-text' : 'bad-text'}`;
    announce(`${name}: ${text}`);
  };
  const control = (label, id, run) =>
    h(
      'button',
      {
        type: 'button',
        id,
        onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          try {
            await run();
          } catch (error) {
            report(`${label} failed: ${error.message}`, false);
          } finally {
            button.disabled = false;
          }
        },
      },
      label,
    );
  const resource = h(
    'select',
    { id: `resource-${name}`, disabled: plan.breakable.length === 0 },
    plan.breakable.map((r) => h('option', { value: r }, r)),
  );
  const outcomeText = (data) =>
    (data.outcomes ?? []).map((o) => `${o.effect}: ${o.reason}`).join('; ') ||
    data.reason ||
    data.error ||
    'done';
  const controls = h(
    'div',
    { class: 'controls', role: 'group', 'aria-label': `Controls for ${name}` },
    control('Simulate outage', `outage-${name}`, async () => {
      const r = await postJson(`/api/apps/${encodeURIComponent(name)}/outage`);
      report(r.ok ? outcomeText(r.data) : r.data.error, r.ok);
    }),
    control('Run drill', `drill-${name}`, async () => {
      const r = await postJson(`/api/apps/${encodeURIComponent(name)}/drill`);
      report(r.ok ? `${r.data.effect}: ${r.data.reason}` : r.data.error || r.data.reason, r.ok);
    }),
    h('label', { for: `resource-${name}` }, 'Resource'),
    resource,
    control('Break a backup', `break-${name}`, async () => {
      const r = await postJson(`/api/apps/${encodeURIComponent(name)}/break-backup`, {
        resource: resource.value,
      });
      report(
        r.ok
          ? `next backup of ${r.data.resource} fails (none until ${time(r.data.noBackupUntil)})`
          : r.data.error,
        r.ok,
      );
    }),
  );
  const parts = {
    site: h('p', { class: 'site' }),
    failover: h('p', { class: 'failover' }),
    approval: h('div', { class: 'approval' }),
    freshness: h('div', { class: 'freshness' }),
    timeline: h('div', { class: 'timeline' }),
    drill: h('p', { class: 'drill-line' }),
    approvalKey: '',
    last: {},
  };
  const article = h(
    'article',
    { class: 'app', 'aria-labelledby': `app-${name}`, id: `card-${name}` },
    h('h3', { id: `app-${name}` }, name, ' ', h('span', { class: 'tag' }, `${plan.mode} failover`)),
    h('p', { class: 'muted' }, `${plan.primary} → ${plan.recovery}; RTO ${fmt(plan.rtoSeconds)}`),
    parts.site,
    parts.failover,
    parts.approval,
    controls,
    result,
    parts.freshness,
    parts.drill,
    parts.timeline,
  );
  return { article, parts };
}

function approvalPanel(app) {
  const f = app.failover;
  if (f?.phase !== 'awaiting-approval') return { key: '', node: null };
  const request = [...app.notifications]
    .reverse()
    .find((n) => n.kind === 'approval-request' && n.failoverId === f.id && n.approveToken);
  if (!request)
    return {
      key: `${f.id}-none`,
      node: h('p', {}, 'Waiting for approval; no token reached the simulated inbox.'),
    };
  const comment = h('input', { type: 'text', id: `comment-${app.name}`, maxlength: 500 });
  const act = (action, token) => async (event) => {
    event.currentTarget.disabled = true;
    const r = await decide(action, token, comment.value);
    announce(`${app.name}: ${r.text}`);
    status.textContent = r.text;
  };
  const status = h('output', { class: 'result', 'aria-live': 'polite' });
  const node = h(
    'div',
    { class: 'pending', role: 'region', 'aria-label': `Approval of the failover of ${app.name}` },
    h(
      'p',
      {},
      h('strong', {}, 'Failover waiting for approval'),
      ` (requested via ${request.channel}, expires ${time(request.expiresAt)})`,
    ),
    h('label', { for: `comment-${app.name}` }, 'Comment (optional)'),
    comment,
    h(
      'button',
      { type: 'button', class: 'go', onclick: act('approve', request.approveToken) },
      `Approve failover of ${app.name}`,
    ),
    ' ',
    request.rejectToken
      ? h(
          'button',
          { type: 'button', class: 'danger', onclick: act('reject', request.rejectToken) },
          'Reject',
        )
      : null,
    status,
  );
  return { key: `${f.id}-${request.approveToken}`, node };
}

function render(snapshot) {
  simNow = snapshot.sim.now;
  document.getElementById('clock').textContent =
    `Simulated time ${time(snapshot.sim.now)} (×${snapshot.sim.speed} real time)`;
  const apps = document.getElementById('apps');
  const byName = new Map(snapshot.status.apps.map((a) => [a.name, a]));
  const evidence = new Map(snapshot.evidence.apps.map((a) => [a.app, a]));
  if (first) {
    apps.textContent = '';
    apps.removeAttribute('aria-busy');
  }
  for (const plan of snapshot.plans) {
    const app = byName.get(plan.name);
    if (!app) continue;
    let entry = cards.get(plan.name);
    if (!entry) {
      entry = card(plan);
      cards.set(plan.name, entry);
      apps.append(entry.article);
    }
    const { parts } = entry;
    const f = app.failover;
    const failoverText = f ? `Failover: ${f.phase}${f.reason ? ` — ${f.reason}` : ''}` : 'Failover: none';
    const drill = snapshot.drills[plan.name];
    const lastDrill = evidence.get(plan.name)?.drills.at(-1);
    const drillText = [
      drill && !['completed', 'failed', 'aborted'].includes(drill.phase)
        ? `Drill in progress: ${drill.phase}.`
        : '',
      lastDrill
        ? `Last drill ${lastDrill.outcome} at ${time(lastDrill.endedAt)}: measured RTO ${fmt(lastDrill.rtoSeconds)} (target ${fmt(lastDrill.rtoTargetSeconds)}), RPO ${fmt(lastDrill.rpoSeconds)} of ${fmt(lastDrill.rpoTargetSeconds)}${lastDrill.level ? `, level ${lastDrill.level}` : ''}.`
        : 'No drill measured yet.',
    ].join(' ');
    if (!first) {
      if (parts.last.site !== app.activeSite) announce(`${plan.name}: active site is now ${app.activeSite}`);
      else if (parts.last.failover !== failoverText) announce(`${plan.name}: ${failoverText}`);
      else if (parts.last.drill !== drillText && lastDrill?.drillId !== parts.last.drillId)
        announce(`${plan.name}: ${drillText}`);
    }
    parts.site.replaceChildren(
      'Active site: ',
      h('strong', { class: `site-${app.activeSite}` }, app.activeSite),
    );
    parts.failover.textContent = failoverText;
    parts.drill.textContent = drillText;
    parts.last = {
      site: app.activeSite,
      failover: failoverText,
      drill: drillText,
      drillId: lastDrill?.drillId,
    };
    const pending = approvalPanel(app);
    if (pending.key !== parts.approvalKey) {
      parts.approvalKey = pending.key;
      parts.approval.replaceChildren(...(pending.node ? [pending.node] : []));
    }
    parts.freshness.replaceChildren(freshnessTable(app, plan));
    parts.timeline.replaceChildren(timeline(app, evidence.get(plan.name), drill, snapshot.sim.now));
  }
  document
    .getElementById('evidence')
    .replaceChildren(
      ...snapshot.evidence.apps.map((a) =>
        h(
          'article',
          { class: 'evidence', 'aria-label': `Evidence of ${a.app}` },
          h('h3', {}, a.app),
          a.invariant
            ? h('p', { class: 'invariant' }, a.invariant)
            : h('p', { class: 'not-proved' }, `Not proved: ${a.notProvedBecause}`),
          h(
            'p',
            { class: 'muted' },
            `Evidence chain ${a.chain.ok ? `intact (${a.chain.records} records)` : 'BROKEN'}; highest level ${a.highestLevel ? `${a.highestLevel.level} at ${time(a.highestLevel.at)}` : 'none yet'}.`,
          ),
        ),
      ),
    );
  first = false;
}

function connect() {
  const connection = document.getElementById('connection');
  const source = new EventSource('/api/stream');
  source.addEventListener('snapshot', (event) => {
    connection.textContent = '';
    render(JSON.parse(event.data));
  });
  source.addEventListener('error', () => {
    connection.textContent = 'Connection to the server lost; reconnecting…';
  });
}

connect();
