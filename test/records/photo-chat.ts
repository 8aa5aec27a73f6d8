import { answeredTo, SUMMARY, type TestApp } from '../forms/form-chat.ts';

/** The photo tests' side of the chat: images sent as WeCom sends them, and a record filled in with room for photos. */
let msg = 0;
/** The user sends an image in the app: WeCom takes it as temporary media and calls back with its media id. */
export function sendImage(a: TestApp, user: string) {
  return (bytes: Buffer, options: { msgId?: string; mediaId?: string } = {}) => {
    const mediaId = options.mediaId ?? a.sim.addMedia(bytes, 'photo.jpg', 'image/jpeg');
    return answeredTo(a, user, () => a.wecomSide.sendImage(user, mediaId, '', options.msgId ?? `${a.clock.now()}${String(++msg).padStart(6, '0')}9`));
  };
}

/** lisi (教学系部学习组's only secretary) fills in the 9月20日 record; `during` runs at the place step. */
export async function lisiFillsIn(say: (t: string) => Promise<string>, during?: () => Promise<void>): Promise<string> {
  await say('提交记录');
  await say('好');
  await say('好');
  await during?.();
  for (const t of ['行政楼302', '10人', '无', '好', '1', SUMMARY, '完成', '好']) await say(t);
  return say('确认');
}
