/**
 * The local chat page's script, served as /dev/chat/chat.js: the page's Content-Security-Policy allows no inline
 * script (an injected one could then run as the page).
 */
export const DEV_CHAT_JS = `const log = document.getElementById('log');
const grouplog = document.getElementById('grouplog');
const userInput = document.getElementById('user');
// What each pane showed, kept for this tab: a reload puts every message back in its own pane and does not replay
// deliveries already shown (they would land in whichever pane the current user picks). \`after\` is the last number
// of the server's delivery journal this tab has shown; the journal keeps its numbers across restarts, so a tab left
// open while the service restarts goes on from there and shows what came meanwhile exactly once. A new tab (nothing
// saved) starts at the journal's end: old messages, such as a finished form's last question, are not news.
const saved = JSON.parse(sessionStorage.getItem('devchat') || '{"after":"end","journal":null,"log":[],"grouplog":[]}');
let after = saved.after;
function save() {
  saved.after = after;
  sessionStorage.setItem('devchat', JSON.stringify(saved));
}
function remember(pane, entry) {
  saved[pane].push(entry);
  if (saved[pane].length > 200) saved[pane].shift();
  save();
}
// Text with its web addresses as links (the status page's link); everything else stays text.
function appendText(el, text) {
  const url = /https?:\\/\\/[^\\s<>"'，。；）)]+/g;
  let at = 0;
  for (const m of text.matchAll(url)) {
    el.appendChild(document.createTextNode(text.slice(at, m.index)));
    const a = document.createElement('a');
    a.href = m[0];
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = m[0];
    el.appendChild(a);
    at = m.index + m[0].length;
  }
  el.appendChild(document.createTextNode(text.slice(at)));
}
function render(el, e) {
  const d = document.createElement('div');
  d.className = 'msg ' + e.cls;
  if (e.meta) { const m = document.createElement('div'); m.className = 'meta'; m.textContent = e.meta; d.appendChild(m); }
  // Markdown pushes come as the HTML a WeCom client shows, escaped by the server (only WeCom's few tags remain).
  if (e.html) { const b = document.createElement('div'); b.innerHTML = e.html; d.appendChild(b); }
  else if (e.file) {
    const a = document.createElement('a');
    a.href = '/dev/chat/files/' + e.file.seq;
    a.download = e.file.name;
    a.className = 'file';
    a.textContent = '📎 ' + e.file.name;
    d.appendChild(a);
  }
  else appendText(d, e.text);
  el.appendChild(d);
  el.scrollTop = el.scrollHeight;
}
function add(el, cls, meta, text, extra) {
  const e = { cls, meta, text, ...extra };
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
// An image (a photo of the session): read here, sent as base64; the server hands it to the simulated WeCom as media.
const photoInput = document.getElementById('photo');
if (photoInput) photoInput.addEventListener('change', async () => {
  const file = photoInput.files && photoInput.files[0];
  const user = userInput.value.trim();
  photoInput.value = '';
  if (!file || !user) return;
  add(log, 'me', user, '[图片] ' + file.name + '（' + Math.max(1, Math.round(file.size / 1024)) + ' KB）');
  try {
    const data = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    const r = await post('/dev/chat/image', { user, name: file.name, type: file.type, data });
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
// Polls the journal from the last number shown; while the service is down the fetch fails and the next poll tries
// again. A journal with another id (its data directory was wiped) is read from its start.
async function poll() {
  try {
    const q = 'after=' + after + (saved.journal ? '&journal=' + encodeURIComponent(saved.journal) : '');
    const r = await fetch('/dev/chat/deliveries?' + q).then((x) => x.json());
    if (saved.journal !== r.journal) { after = saved.journal ? 0 : r.last; saved.journal = r.journal; }
    for (const d of r.deliveries) {
      if (typeof after === 'number' && d.seq <= after) continue;
      after = d.seq;
      const extra = { ...(d.html ? { html: d.html } : {}), ...(d.file ? { file: { seq: d.seq, name: d.file } } : {}) };
      const mine = d.api === 'message/send' && d.to.split('|').includes(userInput.value.trim());
      if (mine) add(log, 'bot', '学习助手（应用消息）', d.text, extra);
      else add(grouplog, 'bot', d.api === 'aibot/response' ? '学习助手（智能机器人，续）' : d.api + ' → ' + d.to, d.text, extra);
    }
    if (after === 'end') after = r.last;
    save();
  } catch {}
  setTimeout(poll, 1000);
}
if (!saved.log.length) post('/dev/chat/event', { user: userInput.value.trim(), event: 'enter_agent' }).then((r) => {
  if (r.passiveReply !== undefined) add(log, 'bot', '学习助手', r.passiveReply);
});
poll();
`;
