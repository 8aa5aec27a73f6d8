/** Someone from content/roster.yaml the page offers to type as. */
export interface DemoPerson {
  userId: string;
  name: string;
  /** 管理员, or 记录员（学习组…）. */
  role: string;
}

/** Whom the page types as at first: the roster's first secretary (the one with most to try), never a name written here. */
const firstSecretary = (people: readonly DemoPerson[]) => (people.find((p) => p.role.startsWith('记录员')) ?? people[0])?.userId ?? '';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The local chat page (local mode only): type as a chosen user, see the bot's answers and group-chat pushes. */
export const devChatHtml = (people: readonly DemoPerson[]) => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>学习助手 · 本地模拟</title>
<style>
  body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f3f4f6; color: #111; }
  header { background: #1f6feb; color: #fff; padding: 10px 16px; }
  header small { opacity: .85; }
  main { display: flex; gap: 16px; padding: 16px; max-width: 1100px; margin: 0 auto; }
  section { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.1); display: flex; flex-direction: column; }
  #chat { flex: 2; height: calc(100vh - 110px); }
  #groups { flex: 1; height: calc(100vh - 110px); }
  h2 { font-size: 15px; margin: 0; padding: 10px 12px; border-bottom: 1px solid #eee; }
  .log { flex: 1; overflow-y: auto; padding: 12px; }
  .msg { white-space: pre-wrap; word-break: break-word; margin: 6px 0; padding: 8px 10px; border-radius: 6px; max-width: 85%; font-size: 14px; line-height: 1.5; }
  .me { background: #95ec69; margin-left: auto; }
  .bot { background: #f1f1f1; }
  .meta { font-size: 11px; color: #666; margin-bottom: 2px; }
  .err { background: #fde2e2; }
  form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #eee; }
  input { font-size: 15px; padding: 8px; border: 1px solid #ccc; border-radius: 6px; }
  #text, #grouptext { flex: 1; }
  /* Wide enough for the longest roster id (dangban-wang) with room to spare; ids are at most a few words. */
  #user { width: 16ch; flex: none; }
  .msg a { color: #1f6feb; word-break: break-all; }
  button { font-size: 15px; padding: 8px 16px; border: 0; border-radius: 6px; background: #1f6feb; color: #fff; cursor: pointer; }
  label.photo { font-size: 15px; padding: 8px 12px; border-radius: 6px; background: #e5e7eb; cursor: pointer; flex: none; }
  label.photo input { display: none; }
  .people { font-size: 12px; color: #555; padding: 0 12px 8px; }
  .people summary { cursor: pointer; color: #1f6feb; }
  .people ul { margin: 4px 0 0; padding-left: 18px; }
  .people code { background: #f1f1f1; padding: 0 4px; border-radius: 4px; }
  /* A phone (390 px): the two panes one above the other, the conversation first; nothing wider than the screen. */
  @media (max-width: 700px) {
    header { padding: 8px 12px; }
    header small { display: block; }
    main { flex-direction: column; gap: 10px; padding: 8px; }
    #chat { flex: none; height: 70vh; min-height: 360px; }
    #groups { flex: none; height: 45vh; min-height: 220px; }
    .msg { max-width: 92%; }
    form { flex-wrap: wrap; }
    #user { flex: 1 1 100%; width: auto; box-sizing: border-box; }
    #text, #grouptext { min-width: 0; }
  }
</style>
</head>
<body>
<header><b>学习助手 · 本地模拟</b> <small>消息经加密回调真实送达机器人；未连接真实企业微信</small></header>
<main>
  <section id="chat">
    <h2>与学习助手的对话</h2>
    <details class="people"><summary>演示用户（content/roster.yaml）</summary><ul>${people
      .map((p) => `<li><code>${esc(p.userId)}</code> ${esc(p.name)} · ${esc(p.role)}</li>`)
      .join('')}<li>其他任意 ID（如 <code>zhaoliu</code>）：普通教职工，可以提问</li></ul></details>
    <div class="log" id="log" aria-live="polite"></div>
    <form id="form" method="post" action="/dev/chat/send">
      <input id="user" name="user" value="${esc(firstSecretary(people))}" list="people" autocomplete="off" aria-label="企业微信用户 ID" title="以哪个企业微信用户 ID 发送（可从名单中选择，也可输入任意 ID 作为普通教职工）">
      <datalist id="people">${people.map((p) => `<option value="${esc(p.userId)}" label="${esc(`${p.name} · ${p.role}`)}">`).join('')}</datalist>
      <input id="text" name="text" required placeholder="输入消息，例如：帮助" autocomplete="off" aria-label="消息">
      <button type="submit">发送</button>
      <label class="photo" title="发送图片（如学习现场照片），与企业微信中发图片一样经媒体文件送达">图片<input id="photo" type="file" accept="image/*" aria-label="发送图片"></label>
    </form>
  </section>
  <section id="groups">
    <h2>群聊与其他投递</h2>
    <div class="log" id="grouplog"></div>
    <form id="groupform">
      <input id="grouptext" name="grouptext" placeholder="在群里 @学习助手，例如：本周安排" autocomplete="off" aria-label="群聊消息">
      <button type="submit">发送</button>
    </form>
  </section>
</main>
<script src="/dev/chat/chat.js"></script>
</body>
</html>
`;

/**
 * The answer to the page's plain form (a browser without script posts it urlencoded): what was sent, the replies that
 * came while the request was open, and the form again. With script the page never shows this.
 */
export function formReplyHtml(r: { user?: string; text?: string; replies?: readonly string[]; error?: string }): string {
  const body = r.error
    ? `<p class="err">${esc(r.error)}</p>`
    : `<p><b>${esc(r.user ?? '')}</b>：${esc(r.text ?? '')}</p>${(r.replies ?? []).map((t) => `<pre>${esc(t)}</pre>`).join('') || '<p>回复将通过应用消息送达，请在聊天页面查看。</p>'}`;
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>学习助手 · 本地模拟</title>
<style>body { font-family: system-ui, sans-serif; margin: 16px; max-width: 720px; } pre { white-space: pre-wrap; word-break: break-word; background: #f1f1f1; padding: 8px; border-radius: 6px; } .err { color: #b00; } input { font-size: 15px; padding: 6px; max-width: 100%; box-sizing: border-box; }</style>
</head>
<body>
${body}
<form method="post" action="/dev/chat/send"><input name="user" value="${esc(r.user ?? '')}" aria-label="企业微信用户 ID"> <input name="text" required aria-label="消息" autofocus> <button type="submit">发送</button></form>
<p><a href="/dev/chat">返回聊天页面</a></p>
</body>
</html>
`;
}
