/** WeCom limits are in UTF-8 bytes, not characters: 2048 for an app text message, 4096 for robot markdown. */
export const TEXT_LIMIT_BYTES = 2048;
