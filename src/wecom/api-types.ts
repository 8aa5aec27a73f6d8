/** Outbound message bodies of the WeCom API (doc 90236 message/send, 90248 appchat/send, 99110 robots). */
export type AppMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'file'; file: { media_id: string } };

export type RobotMessage =
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[] } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'file'; file: { media_id: string } };

/** Recipients of message/send: at least one of them. "@all" is allowed for touser. */
export interface Recipients {
  touser?: string[];
  toparty?: string[];
  totag?: string[];
}

export interface SendResult {
  msgid?: string;
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
}

export interface UploadFile {
  filename: string;
  data: Buffer;
  contentType?: string;
}
