import { POSTGRES_URL } from './postgres-kit.js';

/** What the opener needs of `createPostgresStickyStore`'s options (described here: the root cannot resolve @bucketry/live). */
interface StoreOptions {
  readonly pool?: unknown;
  readonly onError?: (error: unknown, context: never) => void;
}

/**
 * Opens stores of `create` (`createPostgresStickyStore` from `@bucketry/live`, passed in as `pg` is
 * to postgres-kit) on `schema`: on the test PostgreSQL unless `options` give a pool, with a load
 * timeout no slow machine reaches and their errors collected. `closeLater` gets each store's
 * close, which waits `closeTimeout` ms at most for its writes.
 */
export function postgresStickyStores<O extends StoreOptions, S extends { close(timeout?: number): Promise<unknown> }>(
  create: (options: O) => S,
  schema: string,
  closeLater: (close: () => Promise<unknown>) => void,
) {
  type Context = Parameters<NonNullable<O['onError']>>[1];
  return (options: Partial<O> = {}, closeTimeout = 1_000): { store: S; errors: { error: unknown; context: Context }[] } => {
    const errors: { error: unknown; context: Context }[] = [];
    const store = create({
      ...(options.pool ? {} : { connectionString: POSTGRES_URL }),
      schema,
      loadTimeout: 10_000, // the database is up: a slow machine must not make a load time out
      onError: (error: unknown, context: Context) => void errors.push({ error, context }),
      ...options,
    } as unknown as O);
    closeLater(() => store.close(closeTimeout));
    return { store, errors };
  };
}
