using System.Data.Common;

namespace CrossBorderHub.Storage;

/// <summary>
/// Runs a SERIALIZABLE transaction again when the database aborted it as a serialization conflict (SQLSTATE 40001:
/// PostgreSQL's SSI, also under SQL Server's snapshot isolation; 40P01 a deadlock). Such an abort is the database
/// saying "retry", not "down": without this, concurrent intakes (several instances, or one SFTP poll taking 8 files at
/// once) tripped the store-outage backoff and abandoned polls mid-way, so their files were taken again as duplicates.
/// </summary>
internal static class SerializationRetry
{
    private const int Attempts = 30;

    public static async Task<T> RunAsync<T>(Func<Task<T>> transaction, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (DbException ex) when (attempt < Attempts && IsConflict(ex))
            {
                // A short random pause: the transaction that won is committing; two losers should not collide again.
                await Task.Delay(Random.Shared.Next(1, Math.Min(100, 5 * attempt)), cancellationToken);
            }
        }
    }

    public static bool IsConflict(DbException exception) => exception.SqlState is "40001" or "40P01";
}
