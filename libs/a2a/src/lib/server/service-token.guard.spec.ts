import type { ExecutionContext } from '@nestjs/common';
import { UnauthorizedException } from '@nestjs/common';
import { loadConfig } from '@aether/config';
import { ServiceTokenGuard } from './service-token.guard';

function httpContext(headers: Record<string, string>, body?: unknown) {
  const responseHeaders: Record<string, string> = {};
  const context = {
    switchToHttp: () => ({
      getRequest: () => ({ headers, body }),
      getResponse: () => ({ setHeader: (name: string, value: string) => (responseHeaders[name] = value) }),
    }),
  } as unknown as ExecutionContext;
  return { context, responseHeaders };
}

function rejection(guard: ServiceTokenGuard, context: ExecutionContext): UnauthorizedException {
  try {
    guard.canActivate(context);
  } catch (error) {
    if (error instanceof UnauthorizedException) return error;
    throw error;
  }
  throw new Error('the guard let the request through');
}

describe('ServiceTokenGuard', () => {
  const guard = new ServiceTokenGuard(loadConfig({ NODE_ENV: 'test', AETHER_SERVICE_TOKEN: 's3cret-token' }));

  it('lets the right bearer token through', () => {
    expect(guard.canActivate(httpContext({ authorization: 'Bearer s3cret-token' }).context)).toBe(true);
    expect(guard.canActivate(httpContext({ authorization: 'bearer   s3cret-token' }).context)).toBe(true);
  });

  it.each([
    ['no header', {}, 'Missing service token'],
    ['a wrong token', { authorization: 'Bearer s3cret-tokeN' }, 'Invalid service token'],
    ['a prefix of the token', { authorization: 'Bearer s3cret' }, 'Invalid service token'],
    ['another scheme', { authorization: 'Basic czNjcmV0LXRva2Vu' }, 'Missing service token'],
  ])('rejects %s with 401 and a JSON-RPC error body', (_label, headers: Record<string, string>, message) => {
    const { context, responseHeaders } = httpContext(headers, { jsonrpc: '2.0', id: 7, method: 'SendMessage' });
    const error = rejection(guard, context);
    expect(error.getStatus()).toBe(401);
    expect(error.getResponse()).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32000, message: expect.stringContaining(message) } });
    expect(responseHeaders['WWW-Authenticate']).toMatch(/^Bearer/);
  });

  it('refuses to start in production without a token, naming the variable', () => {
    const open = new ServiceTokenGuard(loadConfig({ NODE_ENV: 'production' }));
    expect(() => open.onModuleInit()).toThrow(/AETHER_SERVICE_TOKEN/);
  });

  it('runs open (and only warns) outside production without a token', () => {
    const open = new ServiceTokenGuard(loadConfig({ NODE_ENV: 'development' }));
    expect(() => open.onModuleInit()).not.toThrow();
    expect(open.canActivate(httpContext({}).context)).toBe(true);
  });
});
