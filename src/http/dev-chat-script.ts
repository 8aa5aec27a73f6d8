/**
 * The local chat page's script, served as /dev/chat/chat.js: the page's Content-Security-Policy allows no inline
 * script (an injected one could then run as the page).
 */
export const DEV_CHAT_JS = `const log = document.getElementById('log');
const grouplog = document.getElementById('grouplog');
const userInput = document.getElementById('user');
// What each pane showed, kept for this tab: a reload puts every message back in its own pane and does not replay
// deliveries already shown (they would land in whichever pane the current user picks).
const saved = JSON.parse(sessionStorage.getItem('devchat') || '{"after":0,"log":[],"grouplog":[]}');
let after = saved.after;
function remember(pane, entry) {
  saved[pane].push(entry);
  if (saved[pane].length > 200) saved[pane].shift();
  saved.after = after;
  sessionStorage.setItem('devchat', JSON.stringify(saved));
}
function render(el, e) {
  const d = document.createElement('div');
  d.className = 'msg ' + e.cls;
  if (e.meta) { const m = document.createElement('div'); m.className = 'meta'; m.textContent = e.meta; d.appendChild(m); }
  // Markdown pushes come as the HTML a WeCom client shows, escaped by the server (only WeCom's few tags remain).
  if (e.html) { const b = document.createElement('div'); b.innerHTML = e.html; d.appendChild(b); }
  else d.appendChild(document.createTextNode(e.text));
  el.appendChild(d);
  el.scrollTop = el.scrollHeight;
}
function add(el, cls, meta, text, html) {
  const e = { cls, meta, text, ...(html ? { html } : {}) };
  render(el, e);
  remember(el === log ? 'log' : 'grouplog', e);
}
for (const e of saved.log) render(log, e);
for (const e of saved.grouplog) render(grouplog, e);
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}
document.getElementById('form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = document.getElementById('text').value.trim();
  const user = userInput.value.trim();
  if (!text || !user) return;
  document.getElementById('text').value = '';
  add(log, 'me', user, text);
  try {
    const r = await post('/dev/chat/send', { user, text });
    if (r.error) add(log, 'bot err', '出错', r.error);
    else if (r.passiveReply !== undefined) add(log, 'bot', '学习助手', r.passiveReply);
  } catch (err) { add(log, 'bot err', '出错', String(err)); }
});
// "@学习助手 …" in the group: through the 智能机器人's real route, as WeCom would send it.
const groupForm = document.getElementById('groupform');
if (groupForm) groupForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('grouptext');
  const text = input.value.trim();
  const user = userInput.value.trim();
  if (!text || !user) return;
  input.value = '';
  const said = text.startsWith('@') ? text : '@学习助手 ' + text;
  add(grouplog, 'me', user + '（群聊）', said);
  try {
    const r = await post('/dev/chat/group-send', { user, text: said });
    if (r.error) add(grouplog, 'bot err', '出错', r.error);
    else if (r.text) add(grouplog, 'bot', '学习助手（智能机器人）', r.text);
  } catch (err) { add(grouplog, 'bot err', '出错', String(err)); }
});
async function poll() {
  try {
    const r = await fetch('/dev/chat/deliveries?after=' + after).then((x) => x.json());
    for (const d of r.deliveries) {
      after = Math.max(after, d.seq);
      const mine = d.api === 'message/send' && d.to.split('|').includes(userInput.value.trim());
      if (mine) add(log, 'bot', '学习助手（应用消息）', d.text, d.html);
      else add(grouplog, 'bot', d.api === 'aibot/response' ? '学习助手（智能机器人，续）' : d.api + ' → ' + d.to, d.text, d.html);
    }
  } catch {}
  setTimeout(poll, 1000);
}
if (!saved.log.length) post('/dev/chat/event', { user: userInput.value.trim(), event: 'enter_agent' }).then((r) => {
  if (r.passiveReply !== undefined) add(log, 'bot', '学习助手', r.passiveReply);
});
poll();
`;
