import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', ROOT), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }>;
};
const installed = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.engines?.node);

/** `npm ci` warns (EBADENGINE) for every installed package whose engines exclude the running Node. */
describe('a clean npm ci on Node 20', () => {
  it('every package in the lockfile accepts this Node', () => {
    const refusing = installed
      .filter(([, p]) => !semver.satisfies(process.version, p.engines!.node!))
      .map(([path, p]) => `${path}@${p.version}: ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it("every package accepts the oldest Node of package.json's engines (20.19, what vitest's bundler needs), whatever Node runs the tests", () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    expect(oldest).toBe('20.19.0');
    const refusing = installed.filter(([, p]) => !semver.satisfies(oldest, p.engines!.node!)).map(([path, p]) => `${path}@${p.version}: ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it("light-my-request (Fastify's inject) still sends cookies with the overridden cookie@1", async () => {
    expect(lock.packages['node_modules/light-my-request/node_modules/cookie']?.version).toMatch(/^1\./);
    const app = Fastify();
    app.get('/', async (req) => ({ cookie: req.headers.cookie }));
    const res = await app.inject({ url: '/', cookies: { session: 'a b', other: 'x' } });
    expect(res.json()).toEqual({ cookie: 'session=a%20b; other=x' });
    await app.close();
  });
});
