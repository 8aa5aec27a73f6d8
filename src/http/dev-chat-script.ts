/**
 * The local chat page's script, served as /dev/chat/chat.js: the page's Content-Security-Policy allows no inline
 * script (an injected one could then run as the page).
 */
export const DEV_CHAT_JS = `const log = document.getElementById('log');
const grouplog = document.getElementById('grouplog');
const userInput = document.getElementById('user');
let after = 0;
function add(el, cls, meta, text) {
  const d = document.createElement('div');
  d.className = 'msg ' + cls;
  if (meta) { const m = document.createElement('div'); m.className = 'meta'; m.textContent = meta; d.appendChild(m); }
  d.appendChild(document.createTextNode(text));
  el.appendChild(d);
  el.scrollTop = el.scrollHeight;
}
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
async function poll() {
  try {
    const r = await fetch('/dev/chat/deliveries?after=' + after).then((x) => x.json());
    for (const d of r.deliveries) {
      after = Math.max(after, d.seq);
      const mine = d.api === 'message/send' && d.to.split('|').includes(userInput.value.trim());
      if (mine) add(log, 'bot', '学习助手（应用消息）', d.text);
      else add(grouplog, 'bot', d.api + ' → ' + d.to, d.text);
    }
  } catch {}
  setTimeout(poll, 1000);
}
post('/dev/chat/event', { user: userInput.value.trim(), event: 'enter_agent' }).then((r) => {
  if (r.passiveReply !== undefined) add(log, 'bot', '学习助手', r.passiveReply);
});
poll();
`;
