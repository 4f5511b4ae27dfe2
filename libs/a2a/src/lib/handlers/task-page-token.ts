import { RequestMalformedError } from '@a2a-js/sdk/errors';

/** `ListTasks` cursors of Aether's task stores: the last task's status timestamp and id, opaque to callers. */
export function encodeTaskPageToken(timestamp: string, id: string): string {
  return Buffer.from(`${timestamp}|${id}`).toString('base64');
}

export function decodeTaskPageToken(token: string): { timestamp: string; id: string } {
  const [timestamp, ...id] = Buffer.from(token, 'base64').toString('utf8').split('|');
  if (id.length === 0) throw new RequestMalformedError('pageToken is not a cursor this server issued');
  return { timestamp, id: id.join('|') };
}
