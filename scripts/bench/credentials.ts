/** Fixed, public benchmark credentials (never used against real WeCom). */
export const BENCH_CREDENTIALS = {
  corpId: 'wwbench000000001',
  agentId: '1000002',
  secret: 'bench-secret-0123456789abcdef',
  token: 'BenchToken0123',
  encodingAesKey: 'Zm9yQmVuY2htYXJrT25seU5vdEFSZWFsS2V5MDEyMzQ',
  /** The 智能机器人's own callback Token and EncodingAESKey. */
  aibotToken: 'BenchAibot0123',
  aibotEncodingAesKey: 'QWlib3RCZW5jaG1hcmtPbmx5Tm90QVJlYWxLZXkwMTI',
} as const;
