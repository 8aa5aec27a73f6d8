import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { DEFAULT_API_BASE, loadConfig } from '../../src/config.ts';
import { TEST_ENV } from '../helpers/test-app.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('runs in local mode with throw-away credentials when none are set', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('local');
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.wecom.encodingAesKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(c.wecom.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(loadConfig({}).wecom.secret).not.toBe(c.wecom.secret);
    expect(c.contentDir).toBe('./content');
    expect(c.dataDir).toBe('./data');
    expect(c.wecom.apiBase).toBe(DEFAULT_API_BASE);
    expect(Object.isFrozen(c.wecom)).toBe(true);
  });

  it('runs in live mode with all credentials, and applies overrides', () => {
    const c = loadConfig({ ...TEST_ENV, PORT: '8080', WECOM_API_BASE: 'http://127.0.0.1:9999/', CALLBACK_TIMESTAMP_WINDOW: '60' });
    expect(c.mode).toBe('live');
    expect(c.host).toBe('0.0.0.0');
    expect(c.port).toBe(8080);
    expect(c.wecom.apiBase).toBe('http://127.0.0.1:9999');
    expect(c.callback.timestampWindowSec).toBe(60);
  });

  it('reports every problem at once, naming the variable and never echoing a secret', () => {
    const badKey = 'tooShortKeyValue-secret!';
    const problems = problemsOf({
      ...TEST_ENV,
      PORT: 'eighty',
      WECOM_ENCODING_AES_KEY: badKey,
      WECOM_TOKEN: 'has spaces and is way too long to be a token',
      LOG_LEVEL: 'loud',
      WECOM_API_BASE: 'ftp://example',
    });
    const text = problems.join('\n');
    for (const name of ['PORT', 'WECOM_ENCODING_AES_KEY', 'WECOM_TOKEN', 'LOG_LEVEL', 'WECOM_API_BASE']) expect(text).toContain(name);
    expect(text).toMatch(/43/);
    expect(text).not.toContain(badKey);
    expect(text).not.toContain('has spaces');
  });

  it('refuses a partial set of credentials, naming what is missing', () => {
    const problems = problemsOf({ WECOM_CORP_ID: 'ww123', WECOM_SECRET: 'abcdefghijkl' });
    expect(problems.join()).toMatch(/WECOM_AGENT_ID, WECOM_TOKEN, WECOM_ENCODING_AES_KEY/);
  });

  it('BOT_NOW sets the demo clock in local mode: an ISO date-time, Beijing time when no zone is given', () => {
    expect(loadConfig({}).demoNow).toBeUndefined();
    expect(loadConfig({ BOT_NOW: '2016-09-21T10:00:00+08:00' }).demoNow).toBe(Date.parse('2016-09-21T02:00:00Z'));
    expect(loadConfig({ BOT_NOW: '2016-09-21T10:00' }).demoNow).toBe(Date.parse('2016-09-21T02:00:00Z'));
    expect(loadConfig({ BOT_NOW: '2016-09-21T02:00:00Z' }).demoNow).toBe(Date.parse('2016-09-21T02:00:00Z'));
    for (const bad of ['2016-09-21', 'next monday', '2016-13-45T10:00:00+08:00']) {
      expect(problemsOf({ BOT_NOW: bad }).join('\n'), bad).toMatch(/^BOT_NOW: .*2016-09-21T10:00:00\+08:00|^BOT_NOW: 不是有效的日期时间/);
    }
  });

  it('refuses BOT_NOW in live mode with a clear message', () => {
    const problems = problemsOf({ ...TEST_ENV, BOT_NOW: '2016-09-21T10:00:00+08:00' });
    expect(problems).toEqual([expect.stringMatching(/^BOT_NOW: 只能在本地模式/)]);
  });

  it('LAWS_CORPUS names the law library for run-time imports; one that is not there stops the start', () => {
    expect(loadConfig({ ...TEST_ENV, LAWS_CORPUS: 'test/fixtures/laws-sample.tar.gz' }).lawsCorpus).toBe('test/fixtures/laws-sample.tar.gz');
    expect(loadConfig(TEST_ENV).lawsCorpus).toBeUndefined();
    expect(problemsOf({ ...TEST_ENV, LAWS_CORPUS: 'no/such/laws.tar.gz' })).toEqual([expect.stringMatching(/^LAWS_CORPUS: 找不到这个法律法规库/)]);
  });
});
