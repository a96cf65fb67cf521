import type { Pool, PoolClient } from 'pg';

/** Runs `work` in one transaction on one pooled connection: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      // A connection that cannot even roll back is not fit to go back into the pool.
      client.release(rollbackError as Error);
    }
    throw error;
  }
}

/** Thrown inside a transaction to roll it back and hand `value` to the caller. */
export class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back');
    this.name = 'Rollback';
  }
}

/** inTransaction, where `work` may end the transaction without its writes by throwing a Rollback. */
export async function inTransactionOrRollback<T, R>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T | R> {
  try {
    return await inTransaction(pool, work);
  } catch (error) {
    if (error instanceof Rollback) return error.value as R;
    throw error;
  }
}
