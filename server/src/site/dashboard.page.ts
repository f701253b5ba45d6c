/** HTML text escaped for element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside an inline <script>. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const ORDERS: Array<[string, string, string, number, number, string]> = [
  ['WO-24117', 'Line 1', 'Bracket A-220', 1200, 964, 'Running'],
  ['WO-24118', 'Line 2', 'Housing H-15', 800, 800, 'Done'],
  ['WO-24121', 'Line 3', 'Shaft S-9', 450, 112, 'Changeover'],
  ['WO-24124', 'Line 1', 'Bracket A-240', 1500, 0, 'Queued'],
  ['WO-24126', 'Line 4', 'Cover C-3', 2000, 1430, 'Running'],
];

/**
 * The demo dashboard: a small production-management page with the inbox widget in its corner.
 * With `token` (demo mode: a session of the demo's admin) the widget is already signed in; without,
 * the page asks for a token and says how a real dashboard signs its agents in.
 */
export function dashboardPage(opts: { token: string | null }): string {
  const rows = ORDERS.map(
    ([id, line, part, qty, done, state]) =>
      `<tr><td>${id}</td><td>${line}</td><td>${part}</td><td class="num">${done} / ${qty}</td>` +
      `<td><progress max="${qty}" value="${done}" aria-label="${id} progress">${Math.round((done / qty) * 100)}%</progress></td><td><span class="state state-${state.toLowerCase()}">${state}</span></td></tr>`,
  ).join('');
  const widget = opts.token
    ? `<script src="/widget.js" data-endpoint="/graphql" data-token="${escapeHtml(opts.token)}"></script>`
    : `<script src="/widget.js"></script>
<script>
  (function () {
    var form = document.getElementById('token-form');
    function start(token) { form.hidden = true; InboxWidget.mount(document.body, { endpoint: '/graphql', token: token }); }
    var saved = sessionStorage.getItem('inbox-token');
    if (saved) start(saved);
    form.hidden = !!saved;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var token = form.elements.token.value.trim();
      if (!token) return;
      sessionStorage.setItem('inbox-token', token);
      start(token);
    });
  })();
</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Production overview · Acme Plant</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; --bg: #f4f6f8; --card: #fff; --fg: #1d2430; --muted: #5b6675; --line: #dde2e8; }
  @media (prefers-color-scheme: dark) { :root { --bg: #12161c; --card: #1b2129; --fg: #e6e9ee; --muted: #a3adba; --line: #2c3440; } }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
  header { display: flex; align-items: center; gap: 16px; padding: 14px 24px; background: #1f2a37; color: #fff; }
  header h1 { font-size: 18px; margin: 0; flex: 1; }
  header nav a { color: #cfe0ff; margin-left: 16px; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px; }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 16px; margin-bottom: 24px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px; }
  .kpi b { display: block; font-size: 28px; }
  .kpi span { color: var(--muted); font-size: 13px; }
  table { width: 100%; border-collapse: collapse; }
  th, td { padding: 8px 10px; border-bottom: 1px solid var(--line); text-align: left; }
  th { color: var(--muted); font-weight: 600; font-size: 13px; }
  .num { font-variant-numeric: tabular-nums; }
  .state { padding: 2px 8px; border-radius: 10px; font-size: 12px; background: #e8edf3; color: #1d2430; }
  .state-running { background: #d8f5e3; } .state-changeover { background: #fff0c2; } .state-done { background: #dfe7ff; }
  .table-wrap { overflow-x: auto; }
  form { margin-top: 24px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
  input { padding: 6px 10px; min-width: 260px; }
  .note { color: var(--muted); font-size: 13px; }
</style>
</head>
<body>
<header><h1>Acme Plant · Production overview</h1><nav><a href="/graphql">GraphQL</a><a href="/api/whatsapp/health">Health</a></nav></header>
<main>
  <section class="kpis" aria-label="Key figures">
    <div class="card kpi"><b>87.4%</b><span>OEE, this shift</span></div>
    <div class="card kpi"><b>3,306</b><span>Units produced today</span></div>
    <div class="card kpi"><b>4 / 5</b><span>Lines running</span></div>
    <div class="card kpi"><b>0.6%</b><span>Scrap rate</span></div>
  </section>
  <section class="card">
    <h2 style="margin-top:0;font-size:16px">Work orders</h2>
    <div class="table-wrap"><table>
      <thead><tr><th>Order</th><th>Line</th><th>Part</th><th>Done</th><th>Progress</th><th>State</th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>
  </section>
  ${opts.token ? '' : `<form id="token-form" hidden><label for="token">API token for the customer inbox</label><input id="token" name="token" type="password" autocomplete="off"><button>Open inbox</button></form>
  <p class="note">This page is a stand-in. Your dashboard mounts the widget with a session its backend asks for (<code>createAgentSession</code>), so agents never see a key; see the README.</p>`}
</main>
${widget}
</body>
</html>`;
}
