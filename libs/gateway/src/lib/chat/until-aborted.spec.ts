import { raceAbort, untilAborted } from './until-aborted';

describe('untilAborted', () => {
  it('passes every item through when nothing aborts', async () => {
    async function* source() {
      yield 1;
      yield 2;
    }
    const items: number[] = [];
    for await (const item of untilAborted(source(), new AbortController().signal)) items.push(item);
    expect(items).toEqual([1, 2]);
  });

  it('stops a source that is stuck waiting, as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const returned = Promise.withResolvers<void>();
    const stuck: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => undefined),
        return: async () => {
          returned.resolve();
          return { done: true, value: undefined };
        },
      }),
    };
    const reason = new Error('client disconnected');

    const iteration = (async () => {
      for await (const _item of untilAborted(stuck, controller.signal)) {
        // never reached
      }
    })();
    controller.abort(reason);

    await expect(iteration).rejects.toBe(reason);
    await returned.promise;
  });
});

describe('raceAbort', () => {
  it('rejects with the abort reason while the promise is still pending', async () => {
    const controller = new AbortController();
    const racing = raceAbort(new Promise(() => undefined), controller.signal);
    controller.abort(new Error('gone'));
    await expect(racing).rejects.toThrow('gone');
  });

  it('resolves with the value otherwise', async () => {
    await expect(raceAbort(Promise.resolve(5), new AbortController().signal)).resolves.toBe(5);
  });
});
