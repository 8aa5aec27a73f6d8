/**
 * Runs the tasks given to it one after another, never two at once, in the order given; a failing task does not stop
 * the ones after it. Making a record book holds about half a megabyte of heap per page while it runs (see
 * docs/records.md): several admins asking for the whole organisation's semester at the same moment must wait their
 * turn rather than add their peaks together.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = last.then(task, task);
    last = run.catch(() => undefined);
    return run;
  };
}
